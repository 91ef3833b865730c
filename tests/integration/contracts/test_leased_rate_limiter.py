"""What leasing adds to the rate-limiter contract: a burst costs one Redis call per lease and
never spins, only used hits count, refusals are remembered, and several processes together
still never pass the limit."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from devforge.adapters.redis.leased_rate_limiter import RedisLeasedRateLimiter, lease_size
from tests.services import REDIS_URL, require_redis


class CountingRedis(Redis):
    """The real client, counting the commands it sends one by one (a lease is one EVALSHA)."""

    sent = 0

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        self.sent += 1
        return await super().execute_command(*args, **options)


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[CountingRedis, str]]:
    require_redis()
    client, prefix = CountingRedis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"
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


async def test_a_lease_answers_locally_until_it_is_used_up(redis_prefix: tuple[CountingRedis, str]) -> None:
    client, prefix = redis_prefix
    limiter = RedisLeasedRateLimiter(client, prefix=prefix)
    first = await limiter.hit("k", limit=6400, window_seconds=60)
    assert first.allowed and first.remaining == 6399
    logged = await client.zcard(prefix + "k")
    assert logged == lease_size(6400)  # the whole lease is in the shared log at once
    sent = client.sent
    for expected in range(6398, 6399 - lease_size(6400), -1):
        assert (await limiter.hit("k", limit=6400, window_seconds=60)).remaining == expected
    assert client.sent == sent  # no Redis call meanwhile
    await limiter.hit("k", limit=6400, window_seconds=60)
    assert await client.zcard(prefix + "k") == 2 * lease_size(6400)


async def test_the_next_lease_gives_back_what_an_expired_one_left_unused(
    redis_prefix: tuple[CountingRedis, str],
) -> None:
    client, prefix = redis_prefix
    now = [0.0]
    limiter = RedisLeasedRateLimiter(client, prefix=prefix, monotonic=lambda: now[0])
    await limiter.hit("k", limit=6400, window_seconds=60)
    now[0] += 1.5
    sent = client.sent
    await limiter.hit("k", limit=6400, window_seconds=60)
    # One call both returned the 99 unused hits and took a new lease: 1 used + 100 leased.
    assert client.sent == sent + 1
    assert await client.zcard(prefix + "k") == 1 + lease_size(6400)


async def test_a_lease_left_idle_gives_its_rest_back_by_itself(redis_prefix: tuple[Redis, str]) -> None:
    client, prefix = redis_prefix
    limiter = RedisLeasedRateLimiter(client, prefix=prefix, lease_seconds=0.1)
    for _ in range(3):
        await limiter.hit("k", limit=6400, window_seconds=60)
    assert await client.zcard(prefix + "k") == lease_size(6400)
    for _ in range(50):
        await asyncio.sleep(0.05)
        if await client.zcard(prefix + "k") == 3:
            break
    assert await client.zcard(prefix + "k") == 3  # only what was used still counts
    await limiter.aclose()


async def test_a_burst_of_any_size_costs_one_round_trip_and_a_refused_one_none(
    redis_prefix: tuple[CountingRedis, str],
) -> None:
    client, prefix = redis_prefix
    limiter = RedisLeasedRateLimiter(client, prefix=prefix)
    sent = client.sent
    decisions = await asyncio.gather(*(limiter.hit("k", limit=600, window_seconds=60) for _ in range(2000)))
    assert client.sent == sent + 1
    assert sum(d.allowed for d in decisions) == 600
    assert {d.retry_after_seconds for d in decisions if not d.allowed} == {60}
    # The window is full: the refusal is remembered, so a second burst does not reach Redis.
    again = await asyncio.gather(*(limiter.hit("k", limit=600, window_seconds=60) for _ in range(500)))
    assert not any(d.allowed for d in again)
    assert client.sent == sent + 1


def test_a_burst_larger_than_a_lease_never_wedges_the_event_loop() -> None:
    """The old limiter awaited a finished refill again and again without yielding: the loop
    spun for good. The burst runs in a loop of its own so that a spin fails the test."""
    require_redis()
    outcome: list[int] = []

    async def burst() -> None:
        client, prefix = Redis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"
        limiter = RedisLeasedRateLimiter(client, prefix=prefix)

        async def arriving(after: float) -> bool:
            await asyncio.sleep(after)  # requests keep arriving while refills complete
            return (await limiter.hit("k", limit=128, window_seconds=60)).allowed

        try:
            for size in (300, 30):
                decisions = await asyncio.gather(*(arriving(n * 0.00005) for n in range(size)))
                outcome.append(sum(decisions))
        finally:
            await client.delete(prefix + "k")
            await client.aclose()

    runner = threading.Thread(target=asyncio.run, args=(burst(),), daemon=True)
    runner.start()
    runner.join(timeout=20)
    assert not runner.is_alive(), "the burst never finished: the event loop is wedged"
    assert outcome == [128, 0]


async def test_two_processes_at_half_the_limit_are_never_refused(redis_prefix: tuple[Redis, str]) -> None:
    """Leases expire long before the window does (here 50 ms against 3 s, as 1 s against 60 s),
    so a process uses a fraction of each; counting the unused rest would refuse this client."""
    client, prefix = redis_prefix
    processes = [RedisLeasedRateLimiter(client, prefix=prefix, lease_seconds=0.05) for _ in range(2)]
    limit, window = 640, 3
    pause = window / (limit / 2)  # half the limit per window
    refused = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 2 * window
    n = 0
    while loop.time() < deadline:
        decision = await processes[n % 2].hit("license:10.0.0.9", limit=limit, window_seconds=window)
        refused += not decision.allowed
        n += 1
        await asyncio.sleep(pause)
    assert n > limit // 2 and refused == 0
    for limiter in processes:
        await limiter.aclose()
