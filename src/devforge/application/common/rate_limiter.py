from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after_seconds: int


class RateLimiter(Protocol):
    """A sliding window: at most ``limit`` hits per key in any ``window_seconds``. A refused hit
    is not counted, and ``retry_after_seconds`` says when the oldest counted hit leaves the window.

    Not transactional. The window is shared by every process of a deployment; when the store that
    holds it cannot answer, ``hit`` and ``peek`` raise ``ServiceUnavailable`` (quickly: they do
    not wait on a server that is down), so a caller whose rule needs the shared count (sign-in
    throttling) refuses the request rather than let each process count alone."""

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision: ...

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        """What ``hit`` would answer now, without counting anything: lets a caller count only
        failures yet refuse before trying (per-account login throttling)."""
        ...


class RouteRateLimiter(RateLimiter, Protocol):
    """The per-address limit in front of every route group: the same window, but it never
    raises ``ServiceUnavailable``. While the shared store is away it degrades to a window in
    each process (fail open, with a local bound: each process allows at most ``limit`` per key),
    so an outage neither refuses everyone nor leaves the service unlimited."""
