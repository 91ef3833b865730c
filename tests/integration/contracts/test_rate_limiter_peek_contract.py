"""``RateLimiter.peek``: what a hit would answer, counting nothing (memory and Redis)."""

from __future__ import annotations

from devforge.application.common.rate_limiter import RateDecision
from tests.integration.contracts.test_rate_limiter_contract import LimiterUnderTest, subject

__all__ = ["subject"]


async def test_peeking_counts_nothing(subject: LimiterUnderTest) -> None:
    limiter = subject.limiter
    for _ in range(10):
        assert await limiter.peek("acct:ann", limit=2, window_seconds=60) == RateDecision(True, 2, 0)
    await limiter.hit("acct:ann", limit=2, window_seconds=60)
    assert await limiter.peek("acct:ann", limit=2, window_seconds=60) == RateDecision(True, 1, 0)
    await limiter.hit("acct:ann", limit=2, window_seconds=60)
    refused = await limiter.peek("acct:ann", limit=2, window_seconds=60)
    assert (refused.allowed, refused.remaining) == (False, 0) and 1 <= refused.retry_after_seconds <= 60
    assert await limiter.hit("acct:ann", limit=2, window_seconds=60) == refused
    assert (await limiter.peek("acct:bob", limit=2, window_seconds=60)).allowed


async def test_a_peek_sees_the_window_slide(subject: LimiterUnderTest) -> None:
    await subject.limiter.hit("acct:cy", limit=1, window_seconds=1)
    assert not (await subject.limiter.peek("acct:cy", limit=1, window_seconds=1)).allowed
    await subject.advance(1.1)
    assert await subject.limiter.peek("acct:cy", limit=1, window_seconds=1) == RateDecision(True, 1, 0)
