"""A Redis sliding-window limiter that takes hits in leases, for generous limits on hot paths."""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import Callable

import redis.asyncio as redis

from devforge.adapters.redis.rate_limiter import RedisRateLimiter
from devforge.application.common.rate_limiter import RateDecision

# The sliding-window log of RedisRateLimiter, granting up to ARGV[4] hits at once: each granted
# hit is one member at the same time, so the log counts leased hits whether used or not.
_LEASE = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000000
local wanted = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return {0, 0, math.max(1, math.ceil((oldest + window - now) / 1000000)), 0}
end
local granted = math.min(wanted, limit - count)
local score = string.format('%.0f', now)
for i = 1, granted do
  redis.call('ZADD', key, score, ARGV[3] .. ':' .. i)
end
redis.call('PEXPIRE', key, string.format('%.0f', window / 1000))
return {1, limit - count - granted, 0, granted}
"""


def lease_size(limit: int) -> int:
    """One hit (each asks Redis: exact) below 128 a window; above, 1/64 of the limit, at most 512."""
    return max(1, min(512, limit // 64))


class RedisLeasedRateLimiter:
    """The ``RateLimiter`` for the routes every client calls (license validation): one Redis
    call per lease instead of one per request.

    Rules:
    - A process asks Redis for up to ``lease_size(limit)`` hits of a key at once; Redis records
      them all in the shared sliding-window log (the same log as ``RedisRateLimiter``) and the
      process hands them out locally. Leased hits count whether used or not, so all processes
      together never exceed the limit; an idle process holds back at most one lease per key.
    - A lease is good for ``lease_seconds``; what is left then is dropped. A hit may so be
      logged up to ``lease_seconds`` before it happened, the only inexactness of the window.
    - For limits below 128 a window the lease is one hit: exactly ``RedisRateLimiter``.
    - ``remaining`` is what Redis said at the lease, plus what is left of it.
    """

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = "devforge:rl:",
        *,
        lease_seconds: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self._exact = RedisRateLimiter(client, prefix)
        self._prefix, self._lease_seconds, self._now, self._max_keys = prefix, lease_seconds, monotonic, max_keys
        self._script = client.register_script(_LEASE)
        self._leases: dict[str, tuple[int, int, float]] = {}  # key -> (left, remaining at lease, expiry)
        self._refills: dict[str, asyncio.Future[RateDecision | None]] = {}

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        if limit < 1 or window_seconds < 1:
            raise ValueError("A rate limit needs limit >= 1 and window_seconds >= 1.")
        decision = self._from_lease(key)
        if decision is not None:
            return decision
        wanted = lease_size(limit)
        if wanted == 1:
            return await self._ask(key, limit, window_seconds, 1)
        while True:
            # One refill in flight per key; everyone who found the lease empty waits for it and
            # then takes from it, so a burst costs one round trip, not one per waiting request.
            refill = self._refills.get(key)
            if refill is None:
                refill = asyncio.ensure_future(self._refill(key, limit, window_seconds, wanted))
                self._refills[key] = refill
                refill.add_done_callback(functools.partial(self._refill_done, key))
            refused = await asyncio.shield(refill)
            if refused is not None:
                return refused
            decision = self._from_lease(key)
            if decision is not None:
                return decision

    def _refill_done(self, key: str, refill: asyncio.Future[RateDecision | None]) -> None:
        if self._refills.get(key) is refill:
            del self._refills[key]

    async def _refill(self, key: str, limit: int, window_seconds: int, wanted: int) -> RateDecision | None:
        """Puts a new lease in place; a refusal (the window is full) when there is none to have."""
        allowed, remaining, retry_after, granted = await self._script(
            keys=[self._prefix + key], args=[limit, window_seconds, uuid.uuid4().hex, wanted]
        )
        if not allowed:
            return RateDecision(False, 0, int(retry_after))
        if len(self._leases) >= self._max_keys:
            self._leases.pop(next(iter(self._leases)))
        self._leases[key] = (int(granted), int(remaining), self._now() + self._lease_seconds)
        return None

    def _from_lease(self, key: str) -> RateDecision | None:
        lease = self._leases.get(key)
        if lease is None:
            return None
        left, remaining, expiry = lease
        if left > 0 and expiry > self._now():
            self._leases[key] = (left - 1, remaining, expiry)
            return RateDecision(True, remaining + left - 1, 0)
        del self._leases[key]
        return None

    async def _ask(self, key: str, limit: int, window_seconds: int, wanted: int) -> RateDecision:
        allowed, remaining, retry_after, _ = await self._script(
            keys=[self._prefix + key], args=[limit, window_seconds, uuid.uuid4().hex, wanted]
        )
        if not allowed:
            return RateDecision(False, 0, int(retry_after))
        return RateDecision(True, int(remaining), 0)

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        return await self._exact.peek(key, limit=limit, window_seconds=window_seconds)
