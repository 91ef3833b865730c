from __future__ import annotations

import redis.asyncio as redis

from devforge.adapters.redis.breaker import RedisCircuitBreaker


class RedisCache:
    """The cache shared by all processes. Expiry is Redis's own, so it holds across processes;
    ``add`` is one ``SET NX EX``, so exactly one of several concurrent claimers wins.

    A non-positive ttl means "already expired", as in the in-memory cache: ``set`` leaves
    nothing readable and ``add`` stores nothing, answering whether the key was free.

    Calls go through the circuit breaker: while Redis is away they raise ``ServiceUnavailable``
    at once (idempotency keys and sign-in challenges cannot be kept without it)."""

    def __init__(
        self, client: redis.Redis, prefix: str = "devforge:cache:", *, breaker: RedisCircuitBreaker | None = None
    ) -> None:
        self._client, self._prefix, self._breaker = client, prefix, breaker or RedisCircuitBreaker()

    async def get(self, key: str) -> bytes | None:
        async with self._breaker.guard():
            value = await self._client.get(self._prefix + key)
        # The client must not decode responses (values need not be text); this only narrows the type.
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        if ttl_seconds <= 0:
            await self.delete(key)
            return
        async with self._breaker.guard():
            await self._client.set(self._prefix + key, value, ex=ttl_seconds)

    async def add(self, key: str, value: bytes, ttl_seconds: int) -> bool:
        async with self._breaker.guard():
            if ttl_seconds <= 0:
                return not await self._client.exists(self._prefix + key)
            return bool(await self._client.set(self._prefix + key, value, ex=ttl_seconds, nx=True))

    async def delete(self, key: str) -> None:
        async with self._breaker.guard():
            await self._client.delete(self._prefix + key)
