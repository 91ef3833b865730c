"""Per-account throttling of password and second-factor guesses."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.rate_limiter import RateLimiter
from devforge.domain.shared.errors import TooManyAttempts


@dataclass(frozen=True, slots=True)
class AttemptLimit:
    """At most ``failures`` failed attempts per account in any ``window_seconds``."""

    failures: int = 5
    window_seconds: int = 300


class AttemptThrottle:
    """Counts failures only, so an owner who types the right password is never charged. Once an
    account's window is full, every attempt (the right password too, so the answer is no
    oracle) is refused with a retry delay until the oldest failure leaves the window: slowed,
    never locked for good. Keys are digests, so unknown and known emails are throttled alike."""

    def __init__(self, limiter: RateLimiter, limit: AttemptLimit) -> None:
        self._limiter, self._limit = limiter, limit

    async def ensure_allowed(self, key: str) -> None:
        decision = await self._limiter.peek(key, limit=self._limit.failures, window_seconds=self._limit.window_seconds)
        if not decision.allowed:
            raise TooManyAttempts(
                f"Too many failed attempts; retry in {decision.retry_after_seconds} s.",
                retry_after_seconds=decision.retry_after_seconds,
            )

    async def failed(self, key: str) -> None:
        await self._limiter.hit(key, limit=self._limit.failures, window_seconds=self._limit.window_seconds)
