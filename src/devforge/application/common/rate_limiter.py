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
    is not counted, and ``retry_after_seconds`` says when the oldest counted hit leaves the window."""

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision: ...

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        """What ``hit`` would answer now, without counting anything: lets a caller count only
        failures yet refuse before trying (per-account login throttling)."""
        ...
