"""The ``Cache`` contract, run on the in-memory cache, on Redis and on Redis with process-local
copies (the ``ReadMostlyCache`` of production)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from devforge.adapters.memory.cache import InMemoryCache
from devforge.adapters.redis.cache import RedisCache
from devforge.adapters.redis.near_cache import RedisNearCache
from tests.services import REDIS_URL, require_redis


@dataclass
class CacheUnderTest:
    cache: InMemoryCache | RedisCache | RedisNearCache
    advance: Callable[[float], Awaitable[None]]  # let time pass: a fake clock, or a real sleep


async def _redis_with_prefix() -> tuple[Redis, str]:
    require_redis()
    return Redis.from_url(REDIS_URL), f"test:{uuid.uuid4().hex}:"


async def _drop(client: Redis, prefix: str) -> None:
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture(params=["memory", "redis", "redis-near"])
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[CacheUnderTest]:
    if request.param == "memory":
        now = [1000.0]

        async def tick(seconds: float) -> None:
            now[0] += seconds

        yield CacheUnderTest(InMemoryCache(monotonic=lambda: now[0]), tick)
        return
    client, prefix = await _redis_with_prefix()
    if request.param == "redis":
        yield CacheUnderTest(RedisCache(client, prefix=prefix), asyncio.sleep)
    else:
        near = RedisNearCache(client, prefix=prefix, channel=f"{prefix}invalidate")
        await near.start()
        yield CacheUnderTest(near, asyncio.sleep)
        await near.stop()
    await _drop(client, prefix)


async def test_a_missing_key_reads_as_none(subject: CacheUnderTest) -> None:
    assert await subject.cache.get("absent") is None


async def test_set_stores_bytes_exactly_and_a_second_set_replaces_them(subject: CacheUnderTest) -> None:
    raw = bytes(range(256))
    await subject.cache.set("k", raw, ttl_seconds=60)
    assert await subject.cache.get("k") == raw
    await subject.cache.set("k", b"second", ttl_seconds=60)
    assert await subject.cache.get("k") == b"second"


async def test_keys_are_independent(subject: CacheUnderTest) -> None:
    await subject.cache.set("a", b"1", ttl_seconds=60)
    await subject.cache.set("b", b"2", ttl_seconds=60)
    await subject.cache.delete("a")
    assert (await subject.cache.get("a"), await subject.cache.get("b")) == (None, b"2")


async def test_delete_forgets_the_key_and_deleting_a_missing_key_is_fine(subject: CacheUnderTest) -> None:
    await subject.cache.set("k", b"v", ttl_seconds=60)
    await subject.cache.delete("k")
    await subject.cache.delete("k")
    assert await subject.cache.get("k") is None


async def test_add_claims_an_absent_key_once_and_keeps_the_first_value(subject: CacheUnderTest) -> None:
    assert await subject.cache.add("claim", b"first", ttl_seconds=60) is True
    assert await subject.cache.add("claim", b"second", ttl_seconds=60) is False
    assert await subject.cache.get("claim") == b"first"


async def test_a_deleted_claim_can_be_claimed_again(subject: CacheUnderTest) -> None:
    await subject.cache.add("claim", b"first", ttl_seconds=60)
    await subject.cache.delete("claim")
    assert await subject.cache.add("claim", b"again", ttl_seconds=60) is True
    assert await subject.cache.get("claim") == b"again"


async def test_of_concurrent_claims_exactly_one_wins(subject: CacheUnderTest) -> None:
    results = await asyncio.gather(*(subject.cache.add("race", str(i).encode(), ttl_seconds=60) for i in range(20)))
    assert results.count(True) == 1
    assert await subject.cache.get("race") == str(results.index(True)).encode()


async def test_a_non_positive_ttl_leaves_nothing_readable(subject: CacheUnderTest) -> None:
    await subject.cache.set("k", b"old", ttl_seconds=60)
    await subject.cache.set("k", b"new", ttl_seconds=0)
    assert await subject.cache.get("k") is None


async def test_entries_expire_after_their_ttl_and_then_can_be_claimed_again(subject: CacheUnderTest) -> None:
    await subject.cache.set("short", b"v", ttl_seconds=1)
    await subject.cache.add("claim", b"v", ttl_seconds=1)
    await subject.cache.set("long", b"v", ttl_seconds=60)
    assert await subject.cache.get("short") == b"v"
    await subject.advance(1.1)
    assert await subject.cache.get("short") is None
    assert await subject.cache.get("long") == b"v"
    assert await subject.cache.add("claim", b"again", ttl_seconds=60) is True


@pytest.fixture(params=["memory", "redis-near"])
async def read_mostly(request: pytest.FixtureRequest) -> AsyncIterator[InMemoryCache | RedisNearCache]:
    if request.param == "memory":
        yield InMemoryCache()
        return
    client, prefix = await _redis_with_prefix()
    near = RedisNearCache(client, prefix=prefix, channel=f"{prefix}invalidate")
    await near.start()
    yield near
    await near.stop()
    await _drop(client, prefix)


async def test_set_many_sets_each_key_and_leaves_the_others(read_mostly: InMemoryCache | RedisNearCache) -> None:
    await read_mostly.set("kept", b"old", 60)
    await read_mostly.set("a", b"old", 60)
    await read_mostly.set_many(["a", "b"], b"new", 60)
    await read_mostly.set_many([], b"nothing", 60)
    assert [await read_mostly.get(key) for key in ("a", "b", "kept")] == [b"new", b"new", b"old"]


async def test_redis_keys_live_under_the_prefix_with_redis_expiry() -> None:
    client, prefix = await _redis_with_prefix()
    try:
        await RedisCache(client, prefix=prefix).set("k", b"v", ttl_seconds=60)
        assert await RedisCache(client, prefix=prefix + "other:").get("k") is None
        assert 0 < await client.ttl(prefix + "k") <= 60
    finally:
        await _drop(client, prefix)
