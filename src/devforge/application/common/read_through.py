"""A read-through cache over the ``ReadMostlyCache`` that a change can never leave stale for long."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from devforge.application.common.cache import ReadMostlyCache

T = TypeVar("T")
TOMBSTONE = b"\x00forgotten"
TOMBSTONE_SECONDS = 10
FILL_WITHIN_SECONDS = 2.0
DECODED_MAX = 100_000


class ReadThrough(Generic[T]):
    """Values of one kind under ``prefix``, read through from the database by the caller.

    Rules (licensing's ``LicenseCache`` follows the same ones):
    - ``forget`` (called by every use case that changes what a value reflects, right after its
      commit) writes a tombstone for ``TOMBSTONE_SECONDS``, which reads as a miss. With the
      production ``RedisNearCache`` that write drops every process's copy through pub/sub.
    - ``fill`` stores a value read from the database only if nothing is there (no entry, no
      tombstone) and only if the read is at most ``FILL_WITHIN_SECONDS`` old. So a read made
      just before a change committed either fills before the tombstone (which then overwrites it)
      or finds the tombstone and leaves nothing behind: a stale value cannot land.
    - What is missing is not cached.
    Decoding is memoised on the cached bytes object itself: a value from ``get`` is shared
    between requests (read it, never change it). One instance per process."""

    def __init__(
        self,
        cache: ReadMostlyCache,
        prefix: str,
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T],
        ttl_seconds: int,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cache, self._prefix, self._encode, self._decode = cache, prefix, encode, decode
        self._ttl, self._now = ttl_seconds, monotonic
        self._decoded: dict[str, tuple[bytes, T]] = {}

    def started(self) -> float:
        """The moment to pass to ``fill`` for a read that starts now."""
        return self._now()

    async def get(self, key: str) -> T | None:
        raw = await self._cache.get(self._prefix + key)
        if raw is None or raw == TOMBSTONE:
            self._decoded.pop(key, None)
            return None
        memo = self._decoded.get(key)
        if memo is not None and memo[0] is raw:
            return memo[1]
        value = self._decode(raw)
        if len(self._decoded) >= DECODED_MAX:
            self._decoded.pop(next(iter(self._decoded)))
        self._decoded[key] = (raw, value)
        return value

    async def fill(self, key: str, value: T, read_started: float) -> bool:
        """True when the value went into the cache."""
        if self._now() - read_started > FILL_WITHIN_SECONDS:
            return False
        return await self._cache.add(self._prefix + key, self._encode(value), self._ttl)

    async def forget(self, key: str) -> None:
        self._decoded.pop(key, None)
        await self._cache.set(self._prefix + key, TOMBSTONE, TOMBSTONE_SECONDS)
