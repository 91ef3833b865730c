from __future__ import annotations

import time
from collections.abc import Callable, Sequence


class InMemoryCache:
    """The in-process cache of the embedded profile: one process, expiry checked on read."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, max_entries: int = 100_000) -> None:
        self._now, self._max = monotonic, max_entries
        self._entries: dict[str, tuple[bytes, float]] = {}

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] <= self._now():
            del self._entries[key]
            return None
        return entry[0]

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        if len(self._entries) >= self._max:
            self._evict_expired_or_oldest()
        self._entries[key] = (value, self._now() + ttl_seconds)

    async def set_many(self, keys: Sequence[str], value: bytes, ttl_seconds: int) -> None:
        for key in keys:
            await self.set(key, value, ttl_seconds)

    async def add(self, key: str, value: bytes, ttl_seconds: int) -> bool:
        if await self.get(key) is not None:
            return False
        await self.set(key, value, ttl_seconds)
        return True

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    def _evict_expired_or_oldest(self) -> None:
        now = self._now()
        for key in [k for k, (_, expiry) in self._entries.items() if expiry <= now]:
            del self._entries[key]
        if len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]
