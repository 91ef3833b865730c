"""The live counters on Redis, shared by every API process and worker: a counter per second
(``INCRBY``) and per UTC day, a HyperLogLog of installs per minute (``PFADD``; ``PFCOUNT`` over five of them
counts their union), a counter of downloads and a hash of revenue per currency per UTC day. Each
key expires once no read can show it. An ``add`` is one MULTI/EXEC (all of it or none), a
``read`` one pipelined round trip."""

from __future__ import annotations

from datetime import date, datetime

import redis.asyncio as redis

from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.domain.analytics.live import (
    ACTIVE_MINUTES,
    WINDOW_SECONDS,
    LiveFigures,
    LiveTally,
    active_minutes,
    window_seconds,
)

_DAY_SECONDS = 2 * 86_400


class RedisLiveCounters:
    def __init__(
        self, client: redis.Redis, *, breaker: RedisCircuitBreaker, prefix: bytes = b"devforge:analytics:live:"
    ) -> None:
        self._client, self._breaker, self._prefix = client, breaker, prefix

    def _second(self, second: int) -> bytes:
        return self._prefix + b"e:%d" % second

    def _minute(self, minute: int) -> bytes:
        return self._prefix + b"a:%d" % minute

    def _day(self, kind: bytes, day: date) -> bytes:
        return self._prefix + kind + day.isoformat().encode()

    async def add(self, tally: LiveTally) -> None:
        if not tally:
            return
        async with self._breaker.guard():
            pipe = self._client.pipeline(transaction=True)
            for second, count in tally.events.items():
                pipe.incrby(self._second(second), count)
                pipe.expire(self._second(second), WINDOW_SECONDS + 60)
            for day, count in tally.events_by_day.items():
                pipe.incrby(self._day(b"t:", day), count)
                pipe.expire(self._day(b"t:", day), _DAY_SECONDS)
            for minute, installs in tally.installs.items():
                if installs:
                    pipe.pfadd(self._minute(minute), *installs)
                    pipe.expire(self._minute(minute), 60 * (ACTIVE_MINUTES + 2))
            for day, count in tally.downloads.items():
                pipe.incrby(self._day(b"d:", day), count)
                pipe.expire(self._day(b"d:", day), _DAY_SECONDS)
            for (day, currency), amount in tally.revenue.items():
                pipe.hincrby(self._day(b"r:", day), currency, amount)
                pipe.expire(self._day(b"r:", day), _DAY_SECONDS)
            await pipe.execute()

    async def read(self, now: datetime) -> LiveFigures:
        today = now.date()
        async with self._breaker.guard():
            pipe = self._client.pipeline(transaction=False)
            pipe.mget([self._second(second) for second in window_seconds(now)])
            pipe.pfcount(*(self._minute(minute) for minute in active_minutes(now)))
            pipe.get(self._day(b"t:", today))
            pipe.get(self._day(b"d:", today))
            pipe.hgetall(self._day(b"r:", today))
            seconds, active, events_today, downloads, revenue = await pipe.execute()
        return LiveFigures(
            at=now,
            events_per_minute=sum(int(each) for each in seconds if each is not None),
            events_today=int(events_today or 0),
            editors_active=int(active),
            downloads_today=int(downloads or 0),
            revenue_today={currency.decode(): int(amount) for currency, amount in revenue.items() if int(amount)},
        )
