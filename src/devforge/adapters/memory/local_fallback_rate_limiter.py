"""The route-group limiter: the shared window, or a window in this process while it is away."""

from __future__ import annotations

import structlog

from devforge.adapters.memory.rate_limiter import InMemoryRateLimiter
from devforge.application.common.rate_limiter import RateDecision, RateLimiter
from devforge.application.common.unavailable import ServiceUnavailable

log = structlog.get_logger(__name__)


class LocalFallbackRateLimiter:
    """A ``RouteRateLimiter`` over a shared ``RateLimiter``.

    Rules:
    - Every hit goes to the shared limiter first. When it raises ``ServiceUnavailable`` (its
      circuit breaker answers that at once while the store is away, so no request waits), the hit
      is counted in a sliding window of this process with the same limit: the service stays up
      and each process still bounds each key (fail open, with a local bound).
    - The local windows are only a stand-in: once the shared limiter answers again they are no
      longer consulted, and what they counted is not carried over.
    """

    def __init__(self, shared: RateLimiter, local: InMemoryRateLimiter | None = None) -> None:
        self._shared, self._local = shared, local or InMemoryRateLimiter()
        self._degraded = False

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        try:
            decision = await self._shared.hit(key, limit=limit, window_seconds=window_seconds)
        except ServiceUnavailable as error:
            self._degrade(error)
            return await self._local.hit(key, limit=limit, window_seconds=window_seconds)
        self._recover()
        return decision

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        try:
            decision = await self._shared.peek(key, limit=limit, window_seconds=window_seconds)
        except ServiceUnavailable as error:
            self._degrade(error)
            return await self._local.peek(key, limit=limit, window_seconds=window_seconds)
        self._recover()
        return decision

    def _degrade(self, error: ServiceUnavailable) -> None:
        if not self._degraded:
            self._degraded = True
            log.warning("rate_limit.degraded_to_process", dependency=error.dependency)

    def _recover(self) -> None:
        if self._degraded:
            self._degraded = False
            log.info("rate_limit.shared_again")
