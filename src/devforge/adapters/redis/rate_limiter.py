from __future__ import annotations

import uuid

import redis.asyncio as redis

from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.application.common.rate_limiter import RateDecision

# One atomic step on a sorted set of hit times (microseconds, from the server's TIME so every
# API process shares one clock): forget hits that left the window, refuse when the window is
# full without recording the refusal, otherwise record the hit and keep the key only as long
# as its newest hit can matter. Numbers go to Redis through '%.0f': Lua's default '%.14g'
# would round a microsecond timestamp to the nearest 100 microseconds.
_SLIDING_WINDOW = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000000
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return {0, 0, math.max(1, math.ceil((oldest + window - now) / 1000000))}
end
redis.call('ZADD', key, string.format('%.0f', now), ARGV[3])
redis.call('PEXPIRE', key, string.format('%.0f', window / 1000))
return {1, limit - count - 1, 0}
"""

# The same window read without recording anything (it only drops hits that left the window).
_PEEK = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000000
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return {0, 0, math.max(1, math.ceil((oldest + window - now) / 1000000))}
end
return {1, limit - count, 0}
"""


class RedisRateLimiter:
    """A sliding-window log per key in Redis, shared by all processes: at most ``limit`` hits
    in any ``window_seconds``; a refused hit is not counted; ``retry_after_seconds`` is when the
    oldest counted hit leaves the window (at least 1). Same answers as ``InMemoryRateLimiter``.
    Calls go through the circuit breaker: an outage raises ``ServiceUnavailable`` at once."""

    def __init__(
        self, client: redis.Redis, prefix: str = "devforge:rl:", *, breaker: RedisCircuitBreaker | None = None
    ) -> None:
        self._prefix, self._breaker = prefix, breaker or RedisCircuitBreaker()
        self._script = client.register_script(_SLIDING_WINDOW)
        self._peek = client.register_script(_PEEK)

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        if limit < 1 or window_seconds < 1:
            raise ValueError("A rate limit needs limit >= 1 and window_seconds >= 1.")
        # A unique member, so two hits in the same microsecond are both counted.
        async with self._breaker.guard():
            allowed, remaining, retry_after = await self._script(
                keys=[self._prefix + key], args=[limit, window_seconds, uuid.uuid4().hex]
            )
        return RateDecision(bool(allowed), int(remaining), int(retry_after))

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        if limit < 1 or window_seconds < 1:
            raise ValueError("A rate limit needs limit >= 1 and window_seconds >= 1.")
        async with self._breaker.guard():
            allowed, remaining, retry_after = await self._peek(keys=[self._prefix + key], args=[limit, window_seconds])
        return RateDecision(bool(allowed), int(remaining), int(retry_after))
