"""The live stream over a Redis of its own that goes away: two processes' worth of counters (one
adds, the other's stream reads), Redis stopped (refused) and later paused (SIGSTOP: hanging),
then back. The stream never ends or errors: it says ``degraded``, and once Redis answers again it
shows counts by itself, including what was counted meanwhile (held back in the process and
handed on at the next publish)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

from redis.asyncio import Redis

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.client import make_request_path_client
from devforge.adapters.redis.live_counters import RedisLiveCounters
from devforge.application.analytics.live_view import LiveView
from devforge.application.analytics.pending_live_counts import PendingLiveCounts
from devforge.application.analytics.publish_live_counts import PublishLiveCounts
from devforge.application.analytics.watch_live_counters import LivePolicy, LiveUpdate, WatchLiveCounters
from devforge.application.common.actor import Actor
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.permissions import AnalyticsPermission
from tests.fakes.servers import private_redis

NOW = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
READER = Actor.holding(uuid4(), AnalyticsPermission.READ)


def counters(client: Redis) -> RedisLiveCounters:
    return RedisLiveCounters(client, breaker=RedisCircuitBreaker(open_seconds=0.2))


def events(count: int) -> list[AnalyticsEvent]:
    return [AnalyticsEvent(uuid4(), "app_started", f"install-{n}", NOW, NOW) for n in range(count)]


async def next_update(updates: AsyncIterator[LiveUpdate], wanted: str, seconds: float = 5.0) -> LiveUpdate:
    """The next update of the kind ``wanted`` (counts, degraded), heartbeats skipped."""

    async def find() -> LiveUpdate:
        async for update in updates:
            if (wanted == "counts" and update.figures is not None) or (wanted == "degraded" and update.degraded):
                return update
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(find(), seconds)


async def test_the_stream_degrades_while_redis_is_away_and_recovers_by_itself() -> None:
    with private_redis() as redis_server:
        clock = ManualClock(NOW)
        adding = make_request_path_client(redis_server.url, timeout_seconds=0.3)
        reading = make_request_path_client(redis_server.url, timeout_seconds=0.3)
        pending = PendingLiveCounts()
        publish = PublishLiveCounts(pending, counters(adding), clock)
        watch = WatchLiveCounters(
            LiveView(counters(reading), clock), LivePolicy(tick_seconds=0.05, heartbeat_seconds=0.3)
        )
        updates = watch(READER, 60, stopping=lambda: False)
        try:
            pending.events_taken(events(3), NOW)
            await publish()
            first = await next_update(updates, "counts")
            assert first.figures is not None and first.figures.events_per_minute == 3

            redis_server.stop()
            pending.events_taken(events(2), NOW)
            await publish()  # held back in the process, not lost
            degraded = await next_update(updates, "degraded")
            assert "unavailable" in degraded.degraded

            redis_server.start()  # empty: nothing was saved
            back = await next_update(updates, "counts")
            assert back.figures is not None and back.figures.events_per_minute == 0
            await publish()
            caught_up = await next_update(updates, "counts")
            assert caught_up.figures is not None and caught_up.figures.events_per_minute == 2

            redis_server.pause()  # hanging, not refusing: the stream still says so within its timeout
            assert (await next_update(updates, "degraded")).degraded
            redis_server.resume()
            assert (await next_update(updates, "counts")).figures is not None
        finally:
            await updates.aclose()  # type: ignore[attr-defined]
            await adding.aclose()
            await reading.aclose()
