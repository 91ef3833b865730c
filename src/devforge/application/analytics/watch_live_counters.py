"""``GET /api/analytics/live``: the live counters as a stream of updates (Server-Sent Events).

Rules: only who may read analytics (admins, analysts) watches; a principal holds at most
``streams_per_user`` streams in one process (429 beyond); an update is sent when the figures
change, a heartbeat when nothing was sent for ``HEARTBEAT_SECONDS``; while the counters are away
the stream says so once (``degraded``) and carries on by itself when they are back; it ends after
``seconds``, or as soon as the process starts draining (a client reconnects, to another process)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from devforge.application.analytics.live_view import READ_SECONDS, LiveView
from devforge.application.common.actor import Actor
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.domain.analytics.errors import TooManyLiveStreams
from devforge.domain.analytics.live import LiveFigures
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted

HEARTBEAT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class LiveUpdate:
    """Figures, or ``degraded`` saying why there are none, or (neither) a heartbeat."""

    figures: LiveFigures | None = None
    degraded: str = ""


@dataclass(frozen=True, slots=True)
class LivePolicy:
    streams_per_user: int = 3
    tick_seconds: float = READ_SECONDS
    heartbeat_seconds: float = HEARTBEAT_SECONDS


class WatchLiveCounters:
    def __init__(self, view: LiveView, policy: LivePolicy) -> None:
        self._view, self._policy = view, policy

    def __call__(self, actor: Actor, seconds: float, stopping: Callable[[], bool]) -> AsyncIterator[LiveUpdate]:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analytics readers watch the live counters.")
        if self._view.streams[actor.user_id] >= self._policy.streams_per_user:
            raise TooManyLiveStreams(
                f"At most {self._policy.streams_per_user} live streams at once; close one first.",
                retry_after_seconds=int(self._policy.heartbeat_seconds),
            )
        return self._updates(actor, seconds, stopping)

    async def _updates(self, actor: Actor, seconds: float, stopping: Callable[[], bool]) -> AsyncIterator[LiveUpdate]:
        self._view.streams[actor.user_id] += 1
        try:
            ends = time.monotonic() + seconds
            last: LiveUpdate | None = None
            sent = time.monotonic()
            while True:
                update = _update_of(await self._view.current())
                if last is None or _changed(last, update):
                    yield update
                    last, sent = update, time.monotonic()
                elif time.monotonic() - sent >= self._policy.heartbeat_seconds:
                    yield LiveUpdate()
                    sent = time.monotonic()
                if stopping() or time.monotonic() >= ends:
                    return
                await asyncio.sleep(self._policy.tick_seconds)
        finally:
            self._view.streams[actor.user_id] -= 1
            if self._view.streams[actor.user_id] <= 0:
                del self._view.streams[actor.user_id]


def _update_of(current: LiveFigures | ServiceUnavailable) -> LiveUpdate:
    if isinstance(current, ServiceUnavailable):
        return LiveUpdate(degraded=f"The live counters are unavailable ({current.dependency}); retrying by itself.")
    return LiveUpdate(figures=current)


def _changed(last: LiveUpdate, update: LiveUpdate) -> bool:
    if last.figures is None or update.figures is None:
        return (last.figures is None) != (update.figures is None)
    before, now = last.figures, update.figures
    return (before.events_per_minute, before.events_today, before.editors_active, before.downloads_today,
            before.revenue_today) != (
        now.events_per_minute, now.events_today, now.editors_active, now.downloads_today, now.revenue_today
    )  # fmt: skip
