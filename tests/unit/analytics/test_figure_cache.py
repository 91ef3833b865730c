"""The figure cache: one store query for callers asking at once, answers kept for the TTL and
bounded, failures never kept."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.figure_cache import FigureCache
from devforge.domain.analytics.errors import QueryOverBudget


class Store:
    """Counts the queries it answers; each waits for ``opened`` so callers pile up meanwhile."""

    def __init__(self) -> None:
        self.queries = 0
        self.opened = asyncio.Event()

    async def answer(self) -> int:
        self.queries += 1
        await self.opened.wait()
        return self.queries


async def test_thirty_two_callers_asking_at_once_share_one_query() -> None:
    store, cache = Store(), FigureCache(60, 10, ManualClock().now)
    callers = [asyncio.create_task(cache.get("downloads", store.answer)) for _ in range(32)]
    await asyncio.sleep(0)
    store.opened.set()
    answers = await asyncio.gather(*callers)
    assert (store.queries, {a.value for a in answers}) == (1, {1})


async def test_an_answer_is_kept_for_the_ttl_then_asked_again() -> None:
    clock, store = ManualClock(), Store()
    store.opened.set()
    cache = FigureCache(60, 10, clock.now)
    first = await cache.get("downloads", store.answer)
    clock.advance(timedelta(seconds=59))
    assert (await cache.get("downloads", store.answer), store.queries) == (first, 1)
    assert first.computed_at == clock.now() - timedelta(seconds=59)
    clock.advance(timedelta(seconds=1))
    assert ((await cache.get("downloads", store.answer)).value, store.queries) == (2, 2)


async def test_the_cache_is_bounded_least_recently_read_first_out() -> None:
    store = Store()
    store.opened.set()
    cache = FigureCache(60, 2, ManualClock().now)
    for key in ("a", "b", "a", "c"):  # "b" is the least recently read when "c" arrives
        await cache.get(key, store.answer)
    assert (len(cache), store.queries) == (2, 3)
    await cache.get("a", store.answer)
    assert store.queries == 3
    await cache.get("b", store.answer)
    assert store.queries == 4


async def test_a_failure_reaches_every_waiting_caller_and_is_not_kept() -> None:
    cache, calls = FigureCache(60, 10, ManualClock().now), []

    async def over_budget() -> int:
        calls.append(1)
        await asyncio.sleep(0.01)
        raise QueryOverBudget("The query ran past its time budget.", field="range")

    results = await asyncio.gather(*(cache.get("k", over_budget) for _ in range(3)), return_exceptions=True)
    assert [type(r) for r in results] == [QueryOverBudget] * 3 and len(calls) == 1
    with pytest.raises(QueryOverBudget):
        await cache.get("k", over_budget)
    assert len(calls) == 2


async def test_a_caller_that_gives_up_does_not_cancel_the_query_of_the_others() -> None:
    store, cache = Store(), FigureCache(60, 10, ManualClock().now)
    leaving = asyncio.create_task(cache.get("k", store.answer))
    staying = asyncio.create_task(cache.get("k", store.answer))
    await asyncio.sleep(0)
    leaving.cancel()
    store.opened.set()
    assert ((await staying).value, store.queries) == (1, 1)
