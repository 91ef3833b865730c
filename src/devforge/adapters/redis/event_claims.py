"""The dedup window shared by every API process: one Redis ``SET NX EX`` per uuid, all of a batch
in one Lua script, so two processes taking the same uuid at once get one "first" between them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import redis.asyncio as redis

from devforge.adapters.redis.breaker import RedisCircuitBreaker

_CLAIM = """
local answers = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, '1', 'NX', 'EX', ARGV[1]) then answers[i] = 1 else answers[i] = 0 end
end
return answers
"""


class RedisEventClaims:
    """A key per uuid (its 16 bytes after the prefix), expiring with the window. The script runs
    atomically in Redis: a uuid twice in one batch is claimed by its first occurrence. While Redis
    is away, ``claim`` raises ``ServiceUnavailable`` (the breaker's), and the ingestion refuses the
    batch with a 503 rather than store what it cannot tell apart."""

    def __init__(
        self, client: redis.Redis, *, breaker: RedisCircuitBreaker, prefix: bytes = b"devforge:analytics:seen:"
    ) -> None:
        self._client, self._breaker, self._prefix = client, breaker, prefix
        self._script = client.register_script(_CLAIM)

    async def claim(self, uuids: Sequence[UUID], window_seconds: int) -> list[bool]:
        if not uuids:
            return []
        keys = [self._prefix + uuid.bytes for uuid in uuids]
        async with self._breaker.guard():
            answers = await self._script(keys=keys, args=[window_seconds])
        return [bool(answer) for answer in answers]

    async def release(self, uuids: Sequence[UUID]) -> None:
        if uuids:
            async with self._breaker.guard():
                await self._client.delete(*(self._prefix + uuid.bytes for uuid in uuids))
