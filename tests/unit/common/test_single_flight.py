"""Callers of one key at once share one computation and its failure; nothing is kept
(application/common/single_flight.py)."""

from __future__ import annotations

import asyncio

import pytest

from devforge.application.common.single_flight import SingleFlight


class Computation:
    def __init__(self, fail: bool = False) -> None:
        self.calls, self.go, self.fail = 0, asyncio.Event(), fail

    async def __call__(self) -> int:
        self.calls += 1
        await self.go.wait()
        if self.fail:
            raise ConnectionError("away")
        return self.calls


async def test_callers_at_once_share_one_computation_and_the_next_computes_again() -> None:
    flight, computation = SingleFlight(), Computation()
    callers = [asyncio.ensure_future(flight.run("k", computation)) for _ in range(10)]
    await asyncio.sleep(0)
    assert "k" in flight and len(flight) == 1
    computation.go.set()
    assert await asyncio.gather(*callers) == [1] * 10
    assert "k" not in flight
    assert await flight.run("k", computation) == 2


async def test_a_failure_is_shared_by_the_callers_waiting_and_not_remembered() -> None:
    flight, failing = SingleFlight(), Computation(fail=True)
    callers = [asyncio.ensure_future(flight.run("k", failing)) for _ in range(3)]
    await asyncio.sleep(0)
    failing.go.set()
    answers = await asyncio.gather(*callers, return_exceptions=True)
    assert [type(a) for a in answers] == [ConnectionError] * 3 and failing.calls == 1
    working = Computation()
    working.go.set()
    assert await flight.run("k", working) == 1


async def test_a_caller_that_gives_up_does_not_cancel_the_others() -> None:
    flight, computation = SingleFlight(), Computation()
    first = asyncio.ensure_future(flight.run("k", computation))
    await asyncio.sleep(0)
    second = asyncio.ensure_future(flight.run("k", computation))
    await asyncio.sleep(0)
    first.cancel()
    computation.go.set()
    assert await second == 1
    with pytest.raises(asyncio.CancelledError):
        await first
