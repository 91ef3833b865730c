from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from devforge.application.common.rate_limiter import RateDecision


class InMemoryRateLimiter:
    """A sliding-window log per key, for one process (the embedded profile and tests)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._hits: dict[str, deque[float]] = {}

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        now = self._now()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - window_seconds:
            hits.popleft()
        if len(hits) >= limit:
            retry_after = max(1, math.ceil(hits[0] + window_seconds - now))
            return RateDecision(False, 0, retry_after)
        hits.append(now)
        if len(self._hits) > 100_000:
            self._forget_idle(now, window_seconds)
        return RateDecision(True, limit - len(hits), 0)

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        now = self._now()
        hits = [t for t in self._hits.get(key, ()) if t > now - window_seconds]
        if len(hits) >= limit:
            return RateDecision(False, 0, max(1, math.ceil(hits[0] + window_seconds - now)))
        return RateDecision(True, limit - len(hits), 0)

    def _forget_idle(self, now: float, window_seconds: int) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - window_seconds]:
            del self._hits[key]
