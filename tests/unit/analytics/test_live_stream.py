"""The live stream's rules on in-memory counters: an update when the figures change, a heartbeat
when nothing changed for a while, the end after its time or when the process drains, and only
analytics readers watch."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.adapters.memory.analytics import InMemoryLiveCounters
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.live_view import LiveView
from devforge.application.analytics.watch_live_counters import LivePolicy, WatchLiveCounters
from devforge.application.common.actor import Actor
from devforge.domain.analytics.live import LiveTally
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted

NOW = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
READER = Actor.holding(uuid4(), AnalyticsPermission.READ)


def watching(counters: InMemoryLiveCounters) -> tuple[WatchLiveCounters, LiveView]:
    ticks = itertools.count(step=10.0)  # every read is a fresh one
    view = LiveView(counters, ManualClock(NOW), monotonic=lambda: next(ticks))
    return WatchLiveCounters(view, LivePolicy(tick_seconds=0.01, heartbeat_seconds=0.03)), view


async def test_a_change_is_sent_once_and_quiet_is_a_heartbeat() -> None:
    counters = InMemoryLiveCounters()
    watch, view = watching(counters)
    updates = watch(READER, 60, stopping=lambda: False)
    first = await anext(updates)
    assert first.figures is not None and first.figures.events_per_minute == 0
    assert await anext(updates) == type(first)()  # nothing changed for a while: a heartbeat
    tally = LiveTally()
    tally.events_taken(["install-1"], 4, NOW)
    await counters.add(tally)
    changed = await anext(updates)
    while changed.figures is None:
        changed = await anext(updates)
    assert (changed.figures.events_per_minute, changed.figures.editors_active) == (4, 1)
    assert view.streams[READER.user_id] == 1
    await updates.aclose()  # type: ignore[attr-defined]
    assert view.streams == {}


async def test_the_stream_ends_when_the_process_drains() -> None:
    draining = False
    watch, _ = watching(InMemoryLiveCounters())
    updates = watch(READER, 3600, stopping=lambda: draining)
    await anext(updates)
    draining = True
    assert [update async for update in updates] == []


async def test_only_analytics_readers_watch() -> None:
    watch, _ = watching(InMemoryLiveCounters())
    with pytest.raises(NotPermitted):
        watch(Actor.holding(uuid4(), AnalyticsPermission.KEYS_MANAGE), 0, stopping=lambda: False)
