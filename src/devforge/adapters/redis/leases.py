"""The Lua step and the local record of a rate-limit lease (see ``RedisLeasedRateLimiter``)."""

from __future__ import annotations

from dataclasses import dataclass

# The sliding-window log of RedisRateLimiter (hit times in microseconds from the server's TIME,
# numbers written through '%.0f'), granting up to ARGV[4] hits at once as members
# '<lease id>:1'..'<lease id>:<granted>'. When ARGV[5..7] name this process's previous lease of
# the key (its id, its first unused and its last member), those unused members leave the log
# first, in the same atomic step: only used hits count. Answers {granted, remaining after the
# grant, milliseconds until the oldest hit leaves the window when fewer than wanted were granted}.
LEASE_SCRIPT = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000000
local wanted = tonumber(ARGV[4])
if ARGV[5] then
  for i = tonumber(ARGV[6]), tonumber(ARGV[7]) do
    redis.call('ZREM', key, ARGV[5] .. ':' .. i)
  end
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
local granted = math.max(0, math.min(wanted, limit - count))
local score = string.format('%.0f', now)
for i = 1, granted do
  redis.call('ZADD', key, score, ARGV[3] .. ':' .. i)
end
if granted > 0 then
  redis.call('PEXPIRE', key, string.format('%.0f', window / 1000))
end
local retry_ms = 0
if granted < wanted then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  retry_ms = math.max(1, math.ceil((oldest + window - now) / 1000))
end
return {granted, limit - count - granted, retry_ms}
"""


@dataclass(slots=True)
class Lease:
    """Hits ``1..granted`` of lease ``id`` are in the shared log; ``used`` of them were handed out.
    ``remaining`` is what Redis had left beyond the lease when it was granted."""

    id: str
    granted: int
    used: int
    remaining: int
    expires: float

    @property
    def left(self) -> int:
        return self.granted - self.used

    def unused_members(self) -> list[str]:
        return [f"{self.id}:{n}" for n in range(self.used + 1, self.granted + 1)]
