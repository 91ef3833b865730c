"""Hands what this process counted to the shared live counters (an API job, every
``analytics_live_publish_seconds`` and once more as the process stops). While the counters are away the counts
wait in the process and go with the next hand-over."""

from __future__ import annotations

import structlog

from devforge.application.analytics.pending_live_counts import PendingLiveCounts
from devforge.application.analytics.ports import LiveCounters
from devforge.application.common.clock import Clock
from devforge.application.common.unavailable import ServiceUnavailable

log = structlog.get_logger(__name__)


class PublishLiveCounts:
    def __init__(self, pending: PendingLiveCounts, counters: LiveCounters, clock: Clock) -> None:
        self._pending, self._counters, self._clock = pending, counters, clock

    async def __call__(self) -> None:
        tally = self._pending.take()
        if not tally:
            return
        try:
            await self._counters.add(tally)
        except ServiceUnavailable:
            self._pending.put_back(tally, self._clock.now())
            log.warning("live_counts_held_back")
