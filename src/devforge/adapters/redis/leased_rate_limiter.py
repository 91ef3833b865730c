"""A Redis sliding-window limiter that takes hits in leases: one round trip serves a whole burst."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import redis.asyncio as redis

from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.leases import LEASE_SCRIPT, Lease
from devforge.adapters.redis.rate_limiter import RedisRateLimiter
from devforge.application.common.rate_limiter import RateDecision


def lease_size(limit: int) -> int:
    """The least a process asks for: 1/64 of a generous limit (at most 512), one hit below 128."""
    return max(1, min(512, limit // 64))


@dataclass(slots=True)
class _Batch:
    """The requests of one key waiting for the same refill; they take its answers in order."""

    done: asyncio.Future[None]
    waiting: int = 0
    decisions: list[RateDecision] = field(default_factory=list)

    def take(self) -> RateDecision:
        return self.decisions.pop(0)


class RedisLeasedRateLimiter:
    """The ``RateLimiter`` of the production profile: the sliding-window log of
    ``RedisRateLimiter``, reached once per lease instead of once per request.

    Rules:
    - A request whose process holds no lease for its key joins the batch of requests waiting
      for that key; one refill per key is in flight at a time, and it asks Redis for as many
      hits as the batch needs (at least ``lease_size(limit)``), so a burst of any size costs
      one round trip per lease. Waiting is on a fresh future, so it always yields: nothing spins.
    - Redis records the granted hits in the shared log; the process hands them out locally for
      up to ``lease_seconds``. Only used hits count: the next lease call of the key removes the
      unused rest of the previous lease in the same Lua call, and a sweep gives back the rest of
      leases that expired idle. All processes together never pass the limit; each holds back at
      most one lease per key, for at most ``lease_seconds``.
    - When Redis refuses (the window is full), the refusal is remembered in the process until the
      oldest hit leaves the window or ``lease_seconds`` pass, whichever is first: a refused burst
      does not hammer Redis.
    - Below 128 a window a lease is exactly what the waiting requests need: as exact as
      ``RedisRateLimiter``. Granted hits are logged at the lease's time, up to ``lease_seconds``
      before they are used, the only inexactness of the window.
    - Every Redis call goes through the process's circuit breaker: an outage raises
      ``ServiceUnavailable`` at once instead of waiting.
    """

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = "devforge:rl:",
        *,
        breaker: RedisCircuitBreaker | None = None,
        lease_seconds: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self._client, self._prefix, self._now = client, prefix, monotonic
        self._breaker = breaker or RedisCircuitBreaker()
        self._exact = RedisRateLimiter(client, prefix, breaker=self._breaker)
        self._lease_seconds, self._max_keys = lease_seconds, max_keys
        self._script = client.register_script(LEASE_SCRIPT)
        self._leases: dict[str, Lease] = {}
        self._unused: dict[str, Lease] = {}  # expired or evicted with hits left: to give back
        self._refusals: dict[str, tuple[float, float]] = {}  # key -> (remembered until, retry at)
        self._waiting: dict[str, _Batch] = {}
        self._refills: dict[str, asyncio.Task[None]] = {}
        self._sweeper: asyncio.Task[None] | None = None

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        if limit < 1 or window_seconds < 1:
            raise ValueError("A rate limit needs limit >= 1 and window_seconds >= 1.")
        decision = self._local(key)
        if decision is not None:
            return decision
        batch = self._waiting.get(key)
        if batch is None:
            batch = self._waiting[key] = _Batch(asyncio.get_running_loop().create_future())
            if key not in self._refills:
                self._refills[key] = asyncio.create_task(self._refill(key, limit, window_seconds))
        batch.waiting += 1
        try:
            # A batch still in _waiting has not been sent, so its future is not done yet; shield
            # keeps one cancelled request (a client gone) from cancelling the others' answers.
            await asyncio.shield(batch.done)
        except asyncio.CancelledError:
            if not batch.done.done():
                batch.waiting -= 1
            raise
        return batch.take()

    async def peek(self, key: str, *, limit: int, window_seconds: int) -> RateDecision:
        return await self._exact.peek(key, limit=limit, window_seconds=window_seconds)

    async def aclose(self) -> None:
        """Gives back what is left of every lease (best effort), so a stopping process leaves
        no unused hits in the shared windows."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        self._unused.update(self._leases)
        self._leases.clear()
        await self._give_back()

    def _local(self, key: str) -> RateDecision | None:
        """A hit from the lease in hand, or the refusal remembered; None when Redis must be asked."""
        now = self._now()
        lease = self._leases.get(key)
        if lease is not None:
            if lease.left and lease.expires > now:
                lease.used += 1
                return RateDecision(True, lease.remaining + lease.left, 0)
            del self._leases[key]
            if lease.left:
                self._unused[key] = lease
        refusal = self._refusals.get(key)
        if refusal is not None:
            if refusal[0] > now:
                return RateDecision(False, 0, max(1, math.ceil(refusal[1] - now)))
            del self._refusals[key]
        return None

    async def _refill(self, key: str, limit: int, window_seconds: int) -> None:
        """Serves the batches of one key one after the other, until no request waits."""
        try:
            while (batch := self._waiting.pop(key, None)) is not None:
                try:
                    batch.decisions = await self._decide(key, limit, window_seconds, batch.waiting)
                except Exception as error:
                    batch.done.set_exception(error)
                    batch.done.exception()  # handed to every waiter; none left unretrieved
                else:
                    batch.done.set_result(None)
        finally:
            self._refills.pop(key, None)

    async def _decide(self, key: str, limit: int, window_seconds: int, count: int) -> list[RateDecision]:
        decisions: list[RateDecision] = []
        while len(decisions) < count and (decision := self._local(key)) is not None:
            decisions.append(decision)
        need = count - len(decisions)
        if need == 0:
            return decisions
        lease_id, rest = uuid.uuid4().hex, self._unused.pop(key, None)
        wanted = max(lease_size(limit), need)  # more than the limit: Redis grants what is free
        args: list[str | int] = [limit, window_seconds, lease_id, wanted]
        if rest is not None:
            args += [rest.id, rest.used + 1, rest.granted]
        async with self._breaker.guard():
            granted, remaining, retry_ms = await self._script(keys=[self._prefix + key], args=args)
        granted, remaining = int(granted), max(0, int(remaining))
        served = min(granted, need)
        decisions += [RateDecision(True, remaining + granted - n - 1, 0) for n in range(served)]
        now = self._now()
        if granted > served:
            self._keep_lease(key, Lease(lease_id, granted, served, remaining, now + self._lease_seconds))
        if retry_ms:
            retry = int(retry_ms) / 1000
            decisions += [RateDecision(False, 0, max(1, math.ceil(retry)))] * (need - served)
            self._remember_refusal(key, now + min(retry, self._lease_seconds), now + retry)
        return decisions

    def _keep_lease(self, key: str, lease: Lease) -> None:
        if len(self._leases) >= self._max_keys and key not in self._leases:
            oldest = next(iter(self._leases))
            self._unused[oldest] = self._leases.pop(oldest)
        self._leases[key] = lease
        self._ensure_sweeper()

    def _remember_refusal(self, key: str, until: float, retry_at: float) -> None:
        if len(self._refusals) >= self._max_keys and key not in self._refusals:
            del self._refusals[next(iter(self._refusals))]
        self._refusals[key] = (until, retry_at)
        self._ensure_sweeper()

    def _ensure_sweeper(self) -> None:
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep(), name="rate-limit-lease-sweeper")

    async def _sweep(self) -> None:
        """Every ``lease_seconds``: gives back the rest of expired leases, forgets old refusals."""
        try:
            while self._leases or self._unused or self._refusals:
                await asyncio.sleep(self._lease_seconds)
                now = self._now()
                for key, lease in [(k, v) for k, v in self._leases.items() if v.expires <= now]:
                    del self._leases[key]
                    if lease.left:
                        self._unused.setdefault(key, lease)
                for key in [k for k, (until, _) in self._refusals.items() if until <= now]:
                    del self._refusals[key]
                await self._give_back()
        finally:
            self._sweeper = None

    async def _give_back(self) -> None:
        """One pipelined round trip removes the unused hits of every lease given up. If Redis is
        away they are dropped: they leave the window on their own."""
        unused, self._unused = self._unused, {}
        if not unused:
            return
        with contextlib.suppress(Exception):
            async with self._breaker.guard(), self._client.pipeline(transaction=False) as pipeline:
                for key, lease in unused.items():
                    if lease.left:
                        pipeline.zrem(self._prefix + key, *lease.unused_members())
                await pipeline.execute()
