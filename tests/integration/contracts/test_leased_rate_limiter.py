"""What leasing adds to the rate-limiter contract: generous limits cost one Redis call per lease,
and several processes together still never pass the limit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from devforge.adapters.redis.leased_rate_limiter import RedisLeasedRateLimiter, lease_size
from tests.services import REDIS_URL, require_redis


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[Redis, str]]:
    require_redis()
    client, prefix = Redis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"
    yield client, prefix
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def test_small_limits_lease_one_hit_and_generous_ones_a_sixty_fourth() -> None:
    assert [lease_size(n) for n in (1, 10, 127, 128, 640, 6400, 10**9)] == [1, 1, 1, 2, 10, 100, 512]


async def test_four_processes_together_never_pass_the_limit(redis_prefix: tuple[Redis, str]) -> None:
    client, prefix = redis_prefix
    processes = [RedisLeasedRateLimiter(client, prefix=prefix) for _ in range(4)]

    async def hammer(limiter: RedisLeasedRateLimiter) -> int:
        decisions = [await limiter.hit("validate:10.0.0.1", limit=640, window_seconds=60) for _ in range(400)]
        return sum(d.allowed for d in decisions)

    allowed = await asyncio.gather(*(hammer(limiter) for limiter in processes))
    # 1,600 tries against 640: never more, and at most one unused lease (10) per process fewer.
    assert 640 - 4 * lease_size(640) <= sum(allowed) <= 640


async def test_a_lease_answers_locally_until_it_is_used_up(redis_prefix: tuple[Redis, str]) -> None:
    client, prefix = redis_prefix
    limiter = RedisLeasedRateLimiter(client, prefix=prefix)
    first = await limiter.hit("k", limit=6400, window_seconds=60)
    assert first.allowed and first.remaining == 6399
    logged = await client.zcard(prefix + "k")
    assert logged == lease_size(6400)  # the whole lease is in the shared log at once
    for expected in range(6398, 6399 - lease_size(6400), -1):
        assert (await limiter.hit("k", limit=6400, window_seconds=60)).remaining == expected
    assert await client.zcard(prefix + "k") == lease_size(6400)  # no Redis call meanwhile
    await limiter.hit("k", limit=6400, window_seconds=60)
    assert await client.zcard(prefix + "k") == 2 * lease_size(6400)


async def test_a_lease_left_unused_expires(redis_prefix: tuple[Redis, str]) -> None:
    client, prefix = redis_prefix
    now = [0.0]
    limiter = RedisLeasedRateLimiter(client, prefix=prefix, monotonic=lambda: now[0])
    await limiter.hit("k", limit=6400, window_seconds=60)
    now[0] += 1.5
    await limiter.hit("k", limit=6400, window_seconds=60)
    assert await client.zcard(prefix + "k") == 2 * lease_size(6400)
