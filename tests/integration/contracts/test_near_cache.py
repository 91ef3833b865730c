"""What the process-local copies of ``RedisNearCache`` add to the cache contract: two instances
on one Redis stand for two API processes."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.client import make_request_path_client
from devforge.adapters.redis.near_cache import RedisNearCache
from devforge.application.common.unavailable import ServiceUnavailable
from tests.fakes.servers import private_redis
from tests.services import REDIS_URL, require_redis


class Processes:
    def __init__(self, client: Redis, prefix: str) -> None:
        self.client, self.prefix = client, prefix
        self.a = RedisNearCache(client, prefix=prefix, channel=f"{prefix}invalidate")
        self.b = RedisNearCache(client, prefix=prefix, channel=f"{prefix}invalidate")


@pytest.fixture
async def processes() -> AsyncIterator[Processes]:
    require_redis()
    client, prefix = Redis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"
    two = Processes(client, prefix)
    await two.a.start()
    await two.b.start()
    yield two
    await two.a.stop()
    await two.b.stop()
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def eventually(condition: object, seconds: float = 2.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if await condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never held")


async def test_a_read_keeps_a_copy_that_answers_without_redis(processes: Processes) -> None:
    await processes.a.set("k", b"v1", ttl_seconds=60)
    await asyncio.sleep(0.05)  # let the set's own invalidation pass: a read racing it keeps no copy
    assert await processes.b.get("k") == b"v1"
    # Behind b's back (no publish): b still answers from its copy, which proves the copy exists.
    await processes.client.set(processes.prefix + "k", b"changed-behind-its-back")
    assert await processes.b.get("k") == b"v1"


async def test_a_set_in_one_process_drops_the_copy_in_the_other(processes: Processes) -> None:
    await processes.a.set("k", b"v1", ttl_seconds=60)
    await asyncio.sleep(0.05)
    assert await processes.b.get("k") == b"v1"
    await processes.a.set("k", b"v2", ttl_seconds=60)

    async def b_sees_v2() -> bool:
        return await processes.b.get("k") == b"v2"

    await eventually(b_sees_v2)


async def test_set_many_in_one_process_drops_every_copy_in_the_other(processes: Processes) -> None:
    for key in ("k1", "k2"):
        await processes.a.set(key, b"v1", ttl_seconds=60)
    await asyncio.sleep(0.05)
    assert [await processes.b.get(key) for key in ("k1", "k2")] == [b"v1", b"v1"]
    await processes.a.set_many(["k1", "k2"], b"gone", ttl_seconds=60)

    async def b_sees_both() -> bool:
        return [await processes.b.get(key) for key in ("k1", "k2")] == [b"gone", b"gone"]

    await eventually(b_sees_both)
    assert 0 < await processes.client.ttl(processes.prefix + "k2") <= 60


async def test_a_delete_in_one_process_drops_the_copy_in_the_other(processes: Processes) -> None:
    await processes.a.set("k", b"v1", ttl_seconds=60)
    await asyncio.sleep(0.05)
    assert await processes.b.get("k") == b"v1"
    await processes.a.delete("k")

    async def b_sees_nothing() -> bool:
        return await processes.b.get("k") is None

    await eventually(b_sees_nothing)


async def test_no_copy_outlives_the_redis_expiry(processes: Processes) -> None:
    await processes.a.set("k", b"v1", ttl_seconds=1)
    assert await processes.b.get("k") == b"v1"
    await asyncio.sleep(1.1)
    assert await processes.b.get("k") is None


async def test_without_its_subscription_a_process_keeps_no_copies(processes: Processes) -> None:
    await processes.a.set("k", b"v1", ttl_seconds=60)
    await processes.b.stop()  # no longer hears invalidations
    assert await processes.b.get("k") == b"v1"
    await processes.client.set(processes.prefix + "k", b"v2")
    assert await processes.b.get("k") == b"v2"


@pytest.mark.xdist_group("private-redis")
@pytest.mark.parametrize("outage", ["stopped", "paused"])
async def test_while_redis_is_away_reads_miss_at_once_and_the_subscription_comes_back(outage: str) -> None:
    """No copy outlives the subscription (a hung Redis is noticed by its unanswered pings), a
    read while Redis is away is a miss rather than an error, a change says it was not published,
    and once Redis is back the process subscribes again and keeps copies again."""
    with private_redis() as redis:
        client = make_request_path_client(redis.url, timeout_seconds=0.3)
        breaker = RedisCircuitBreaker(open_seconds=0.5)
        cache = RedisNearCache(client, channel="invalidate", breaker=breaker, heartbeat_seconds=0.2)
        await cache.start()
        try:
            await cache.set("k", b"v1", ttl_seconds=60)
            await asyncio.sleep(0.05)
            assert await cache.get("k") == b"v1"  # a copy is kept
            redis.stop() if outage == "stopped" else redis.pause()

            async def copy_dropped() -> bool:
                return await cache.get("k") is None

            await eventually(copy_dropped, seconds=3)
            assert await cache.add("k", b"v2", ttl_seconds=60) is False
            with pytest.raises(ServiceUnavailable):
                await cache.set("k", b"v2", ttl_seconds=60)

            redis.start() if outage == "stopped" else redis.resume()

            async def subscribed_again() -> bool:
                return bool((await client.pubsub_numsub("invalidate"))[0][1] == 1)

            await eventually(subscribed_again, seconds=5)

            async def copies_again() -> bool:
                with contextlib.suppress(ServiceUnavailable):  # until the breaker lets a probe through
                    await cache.set("k", b"v3", ttl_seconds=60)
                await asyncio.sleep(0.05)
                if await cache.get("k") != b"v3":
                    return False
                await client.set("devforge:cache:k", b"changed-behind-its-back")  # no publish
                return await cache.get("k") == b"v3"  # answered from the copy

            await eventually(copies_again, seconds=5)
        finally:
            await cache.stop()
            await client.aclose()
