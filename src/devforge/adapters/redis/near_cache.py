"""Redis with a process-local copy in front, kept honest by Redis pub/sub."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence

import redis.asyncio as redis
import structlog

from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.cache import RedisCache
from devforge.application.common.unavailable import ServiceUnavailable

log = structlog.get_logger(__name__)

_SET_AND_PUBLISH = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
"""
_SET_EACH_AND_PUBLISH = """
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'EX', ARGV[2])
  redis.call('PUBLISH', ARGV[3], ARGV[3 + i])
end
return #KEYS
"""
_DELETE_AND_PUBLISH = """
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
"""


class RedisNearCache:
    """The ``ReadMostlyCache`` of the production profile.

    Rules:
    - Redis is the truth; a process keeps a copy of what it read for at most ``near_ttl``
      seconds (and never past the Redis expiry it was given).
    - Every ``set`` and ``delete`` publishes the key on ``channel``; every process listening
      drops its copy. A copy is only taken while the subscription is up, and only when no
      invalidation arrived while the read was in flight (so a read racing a write never keeps
      the old value). Losing the subscription drops every copy until it is back.
    - ``add`` (a claim) always goes to Redis and keeps no copy.
    - While Redis is away (the circuit breaker is open, or a call fails), ``get`` is a miss and
      ``add`` stores nothing, at once: readers fall through to the database, which is the truth.
      No copy is kept then (no invalidation could reach it). ``set`` and ``delete`` raise
      ``ServiceUnavailable``: a change must not look published when it was not.
    - The subscription is checked with a ping every ``heartbeat_seconds`` when quiet: a Redis that
      stops answering (hung, not closed) counts as lost after two silent heartbeats. The listener
      reconnects by itself, once a second, until Redis is back.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        channel: str = "devforge:near-cache:invalidate",
        prefix: str = "devforge:cache:",
        near_ttl: float = 300.0,
        max_entries: int = 100_000,
        breaker: RedisCircuitBreaker | None = None,
        heartbeat_seconds: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._breaker = breaker or RedisCircuitBreaker()
        self._client, self._redis, self._prefix = client, RedisCache(client, prefix, breaker=self._breaker), prefix
        self._heartbeat = heartbeat_seconds
        self._channel, self._near_ttl, self._max, self._now = channel, near_ttl, max_entries, monotonic
        self._copies: dict[str, tuple[bytes, float]] = {}
        # Invalidation clock: every message ticks it and stamps its key; a read keeps a copy only
        # when its key was not stamped after the read began. Stamps are dropped in bulk, and
        # ``_floor`` then stands for all of them.
        self._tick = 0
        self._floor = 0
        self._stamps: dict[str, int] = {}
        self._subscribed = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None
        # A change and its announcement in one command, not a pipeline: redis-py hands a
        # pipeline's connection back through a task of its own, a turn of a busy event loop more
        # for every write that forgets a cached value (a license's activation, bench/README.md).
        self._set_and_publish = client.register_script(_SET_AND_PUBLISH)
        self._delete_and_publish = client.register_script(_DELETE_AND_PUBLISH)
        self._set_each_and_publish = client.register_script(_SET_EACH_AND_PUBLISH)

    async def start(self) -> None:
        """Subscribe before the first read is served (waits up to 5 s, then serves from Redis alone)."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="near-cache-invalidations")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._subscribed.wait(), timeout=5)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        self._forget_all()

    async def get(self, key: str) -> bytes | None:
        copy = self._copies.get(key)
        if copy is not None:
            if copy[1] > self._now():
                return copy[0]
            del self._copies[key]
        began = self._tick
        try:
            async with self._breaker.guard(), self._client.pipeline(transaction=False) as pipeline:
                pipeline.get(self._prefix + key)
                pipeline.pttl(self._prefix + key)
                value, ttl_ms = await pipeline.execute()
        except ServiceUnavailable:
            return None
        if value is not None and ttl_ms > 0 and self._subscribed.is_set() and not self._stamped_since(key, began):
            self._keep(key, value, min(self._near_ttl, ttl_ms / 1000))
        return value if isinstance(value, bytes) or value is None else bytes(value)

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        self._copies.pop(key, None)
        if ttl_seconds <= 0:
            await self.delete(key)
            return
        async with self._breaker.guard():
            await self._set_and_publish(keys=[self._prefix + key], args=[value, ttl_seconds, self._channel, key])

    async def set_many(self, keys: Sequence[str], value: bytes, ttl_seconds: int) -> None:
        """Every key set and announced by one script: one round trip for a batch of forgets."""
        for key in keys:
            self._copies.pop(key, None)
        if not keys:
            return
        if ttl_seconds <= 0:
            for key in keys:
                await self.delete(key)
            return
        async with self._breaker.guard():
            await self._set_each_and_publish(
                keys=[self._prefix + key for key in keys], args=[value, ttl_seconds, self._channel, *keys]
            )

    async def add(self, key: str, value: bytes, ttl_seconds: int) -> bool:
        try:
            return await self._redis.add(key, value, ttl_seconds)
        except ServiceUnavailable:
            return False

    async def delete(self, key: str) -> None:
        self._copies.pop(key, None)
        async with self._breaker.guard():
            await self._delete_and_publish(keys=[self._prefix + key], args=[self._channel, key])

    def _stamped_since(self, key: str, began: int) -> bool:
        return began < self._floor or self._stamps.get(key, 0) > began

    def _stamp(self, key: str) -> None:
        self._tick += 1
        if len(self._stamps) >= 10_000:
            self._stamps.clear()
            self._floor = self._tick
        self._stamps[key] = self._tick
        self._copies.pop(key, None)

    def _keep(self, key: str, value: bytes, seconds: float) -> None:
        if len(self._copies) >= self._max:
            self._copies.pop(next(iter(self._copies)))
        self._copies[key] = (value, self._now() + seconds)

    def _forget_all(self) -> None:
        self._subscribed.clear()
        self._tick += 1
        self._floor = self._tick
        self._stamps.clear()
        self._copies.clear()

    async def _listen(self) -> None:
        while True:
            pubsub = self._client.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                heard = self._now()
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=False, timeout=self._heartbeat)
                    if message is None:
                        if self._now() - heard > 2 * self._heartbeat:
                            raise TimeoutError("no answer to the subscription's pings")
                        await pubsub.ping()
                        continue
                    heard = self._now()
                    if message["type"] == "subscribe":
                        self._subscribed.set()
                    elif message["type"] == "message":
                        data = message["data"]
                        self._stamp(data.decode() if isinstance(data, bytes) else str(data))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self._subscribed.is_set():
                    log.warning("near_cache.subscription_lost", error=f"{type(error).__name__}: {error}")
                self._forget_all()
                await asyncio.sleep(1)
            finally:
                self._forget_all()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pubsub.aclose(), timeout=1)  # type: ignore[no-untyped-call]
