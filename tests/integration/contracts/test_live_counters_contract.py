"""The live counters' contract, in the process and on Redis: what one instance adds every
instance reads at once (two Redis instances stand for two API processes); events count for 60
seconds, installs once each for 5 minutes, downloads and revenue for their UTC day; while Redis is
away both calls say so."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from devforge.adapters.memory.analytics import InMemoryLiveCounters
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.live_counters import RedisLiveCounters
from devforge.application.analytics.ports import LiveCounters
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.domain.analytics.live import LiveTally
from tests.fakes.ports import free_port
from tests.services import REDIS_URL, require_redis

NOW = datetime(2026, 6, 1, 12, 30, 30, tzinfo=UTC)


@dataclass
class Pair:
    """Two instances on one backing: ``one`` adds, ``other`` reads (another process)."""

    one: LiveCounters
    other: LiveCounters


@pytest.fixture(params=["in_process", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    if request.param == "in_process":
        counters = InMemoryLiveCounters()
        yield Pair(counters, counters)
        return
    require_redis()
    first, second = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:".encode()
    yield Pair(
        RedisLiveCounters(first, breaker=RedisCircuitBreaker(), prefix=prefix),
        RedisLiveCounters(second, breaker=RedisCircuitBreaker(), prefix=prefix),
    )
    keys = [key async for key in first.scan_iter(match=prefix + b"*")]
    if keys:
        await first.delete(*keys)
    await first.aclose()
    await second.aclose()


def taken(count: int, installs: list[str], at: datetime) -> LiveTally:
    tally = LiveTally()
    tally.events_taken(installs, count, at)
    return tally


async def test_what_one_adds_the_other_reads_at_once(pair: Pair) -> None:
    await pair.one.add(taken(1000, ["install-1", "install-2"], NOW))
    await pair.one.add(taken(500, ["install-2", "install-3"], NOW))
    figures = await pair.other.read(NOW)
    assert (figures.events_per_minute, figures.editors_active, figures.at) == (1500, 3, NOW)
    assert figures.events_today == 1500
    assert (figures.downloads_today, figures.revenue_today) == (0, {})


async def test_events_count_for_sixty_seconds_and_installs_for_five_minutes(pair: Pair) -> None:
    await pair.one.add(taken(10, ["old"], NOW - timedelta(seconds=59)))
    await pair.one.add(taken(7, ["older"], NOW - timedelta(seconds=60)))
    await pair.one.add(taken(3, ["long-gone"], NOW - timedelta(minutes=6)))
    figures = await pair.other.read(NOW)
    assert (figures.events_per_minute, figures.editors_active) == (10, 2)  # "older" is 60 s old: still active
    assert figures.events_today == 20  # the day's count keeps what left the minute
    assert (await pair.other.read(NOW + timedelta(days=1))).events_today == 0
    later = await pair.other.read(NOW + timedelta(minutes=5))
    assert (later.events_per_minute, later.editors_active) == (0, 0)


async def test_downloads_and_revenue_count_for_their_day_per_currency(pair: Pair) -> None:
    tally = LiveTally()
    tally.download(NOW)
    tally.download(NOW)
    tally.download(NOW - timedelta(days=1))
    tally.money("eur", 4900, NOW)
    tally.money("USD", 1500, NOW)
    tally.money("EUR", -900, NOW)
    tally.money("EUR", 100_000, NOW - timedelta(days=1))
    await pair.one.add(tally)
    more = LiveTally()
    more.money("USD", -1500, NOW)
    more.download(NOW)
    await pair.one.add(more)
    figures = await pair.other.read(NOW)
    assert (figures.downloads_today, figures.revenue_today) == (3, {"EUR": 4000})  # USD nets to nothing
    assert (await pair.other.read(NOW + timedelta(days=1))).downloads_today == 0


async def test_an_empty_tally_changes_nothing(pair: Pair) -> None:
    await pair.one.add(LiveTally())
    figures = await pair.other.read(NOW)
    assert (figures.events_per_minute, figures.editors_active, figures.downloads_today) == (0, 0, 0)


async def test_while_redis_is_away_both_calls_say_so() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.5)
    counters = RedisLiveCounters(client, breaker=RedisCircuitBreaker())
    with pytest.raises(ServiceUnavailable):
        await counters.add(taken(1, ["install-1"], NOW))
    with pytest.raises(ServiceUnavailable):
        await counters.read(NOW)
    await client.aclose()
