"""The live counters as this process's streams see them: one read of the shared counters per
``READ_SECONDS`` whatever the number of streams open, and how many streams each principal holds."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from uuid import UUID

from devforge.application.analytics.ports import LiveCounters
from devforge.application.common.clock import Clock
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.domain.analytics.live import LiveFigures

READ_SECONDS = 0.1


class LiveView:
    def __init__(self, counters: LiveCounters, clock: Clock, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._counters, self._clock, self._monotonic = counters, clock, monotonic
        self._last: LiveFigures | ServiceUnavailable | None = None
        self._read_at = 0.0
        self.streams: Counter[UUID] = Counter()
        """Open streams per principal (the use case opens and closes them)."""

    async def current(self) -> LiveFigures | ServiceUnavailable:
        """The latest figures, or why there are none (the counters away): read again at most
        every ``READ_SECONDS``. Two streams asking at once may both read: harmless, and no lock
        bound to one event loop."""
        if self._last is not None and self._monotonic() - self._read_at < READ_SECONDS:
            return self._last
        try:
            self._last = await self._counters.read(self._clock.now())
        except ServiceUnavailable as away:
            self._last = away
        self._read_at = self._monotonic()
        return self._last
