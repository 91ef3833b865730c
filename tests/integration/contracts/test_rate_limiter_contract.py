"""The ``RateLimiter`` contract (a sliding window; refused hits are not counted), run on the
in-memory limiter with a fake clock and on Redis with short real windows, the leased limiter
included, alone and behind the route limiter's local fallback."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from devforge.adapters.memory.local_fallback_rate_limiter import LocalFallbackRateLimiter
from devforge.adapters.memory.rate_limiter import InMemoryRateLimiter
from devforge.adapters.redis.leased_rate_limiter import RedisLeasedRateLimiter
from devforge.adapters.redis.rate_limiter import RedisRateLimiter
from devforge.application.common.rate_limiter import RateDecision
from tests.services import REDIS_URL, require_redis


@dataclass
class LimiterUnderTest:
    limiter: InMemoryRateLimiter | RedisRateLimiter | RedisLeasedRateLimiter | LocalFallbackRateLimiter
    advance: Callable[[float], Awaitable[None]]  # let time pass: a fake clock, or a real sleep


async def _redis_with_prefix() -> tuple[Redis, str]:
    require_redis()
    return Redis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"


async def _drop(client: Redis, prefix: str) -> None:
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture(params=["memory", "redis", "redis-leased", "redis-leased-with-fallback"])
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[LimiterUnderTest]:
    if request.param == "memory":
        now = [1000.0]

        async def tick(seconds: float) -> None:
            now[0] += seconds

        yield LimiterUnderTest(InMemoryRateLimiter(monotonic=lambda: now[0]), tick)
        return
    client, prefix = await _redis_with_prefix()
    if request.param == "redis":
        yield LimiterUnderTest(RedisRateLimiter(client, prefix=prefix), asyncio.sleep)
    else:
        leased = RedisLeasedRateLimiter(client, prefix=prefix)
        limiter = leased if request.param == "redis-leased" else LocalFallbackRateLimiter(leased)
        yield LimiterUnderTest(limiter, asyncio.sleep)
        await leased.aclose()
    await _drop(client, prefix)


async def test_hits_up_to_the_limit_are_allowed_and_the_next_waits_a_whole_window(subject: LimiterUnderTest) -> None:
    decisions = [await subject.limiter.hit("login:ann", limit=3, window_seconds=60) for _ in range(5)]
    assert decisions == [
        RateDecision(True, 2, 0),
        RateDecision(True, 1, 0),
        RateDecision(True, 0, 0),
        RateDecision(False, 0, 60),
        RateDecision(False, 0, 60),
    ]


async def test_each_key_has_its_own_window(subject: LimiterUnderTest) -> None:
    await subject.limiter.hit("login:ann", limit=1, window_seconds=60)
    assert (await subject.limiter.hit("login:bob", limit=1, window_seconds=60)).allowed
    assert not (await subject.limiter.hit("login:ann", limit=1, window_seconds=60)).allowed


async def test_concurrent_hits_never_exceed_the_limit(subject: LimiterUnderTest) -> None:
    decisions = await asyncio.gather(*(subject.limiter.hit("burst", limit=5, window_seconds=60) for _ in range(20)))
    allowed = [d for d in decisions if d.allowed]
    assert sorted(d.remaining for d in allowed) == [0, 1, 2, 3, 4]


async def test_a_refused_hit_is_not_counted(subject: LimiterUnderTest) -> None:
    assert (await subject.limiter.hit("k", limit=1, window_seconds=1)).allowed
    await subject.advance(0.6)
    assert not (await subject.limiter.hit("k", limit=1, window_seconds=1)).allowed
    await subject.advance(0.5)
    # The first hit has left the window; had the refusal counted, it would still be inside.
    assert (await subject.limiter.hit("k", limit=1, window_seconds=1)).allowed


async def test_the_window_slides_one_hit_at_a_time_and_retry_after_follows_the_oldest(
    subject: LimiterUnderTest,
) -> None:
    await subject.limiter.hit("k", limit=2, window_seconds=2)
    await subject.advance(1.1)
    await subject.limiter.hit("k", limit=2, window_seconds=2)
    assert await subject.limiter.hit("k", limit=2, window_seconds=2) == RateDecision(False, 0, 1)
    await subject.advance(1.0)
    # Only the first hit has left: one slot frees, not the whole window.
    assert await subject.limiter.hit("k", limit=2, window_seconds=2) == RateDecision(True, 0, 0)
    assert await subject.limiter.hit("k", limit=2, window_seconds=2) == RateDecision(False, 0, 1)


async def test_redis_processes_sharing_a_prefix_share_the_window() -> None:
    first, prefix = await _redis_with_prefix()
    second = Redis.from_url(REDIS_URL)
    try:
        await RedisRateLimiter(first, prefix=prefix).hit("k", limit=1, window_seconds=60)
        assert not (await RedisRateLimiter(second, prefix=prefix).hit("k", limit=1, window_seconds=60)).allowed
        assert (await RedisRateLimiter(second, prefix=prefix + "x:").hit("k", limit=1, window_seconds=60)).allowed
    finally:
        await second.aclose()
        await _drop(first, prefix)


async def test_a_redis_window_key_expires_once_its_hits_cannot_matter() -> None:
    client, prefix = await _redis_with_prefix()
    try:
        await RedisRateLimiter(client, prefix=prefix).hit("k", limit=5, window_seconds=30)
        assert 29_000 < await client.pttl(prefix + "k") <= 30_000
    finally:
        await _drop(client, prefix)


@pytest.mark.parametrize(("limit", "window"), [(0, 60), (5, 0)])
async def test_redis_refuses_a_meaningless_limit(limit: int, window: int) -> None:
    client, prefix = await _redis_with_prefix()
    try:
        with pytest.raises(ValueError, match="limit"):
            await RedisRateLimiter(client, prefix=prefix).hit("k", limit=limit, window_seconds=window)
    finally:
        await _drop(client, prefix)
