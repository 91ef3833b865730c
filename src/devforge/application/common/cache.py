from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Cache(Protocol):
    """A shared key-value cache with expiry. Not transactional, and may forget anything at any
    time: only keep what can be rebuilt or whose loss is safe."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    async def add(self, key: str, value: bytes, ttl_seconds: int) -> bool:
        """Store only if the key is absent; True when this call stored it (a one-time claim)."""
        ...

    async def delete(self, key: str) -> None: ...


class ReadMostlyCache(Cache, Protocol):
    """A ``Cache`` for values read far more often than they change (the license validation
    cache): an adapter may keep process-local copies, provided every ``set`` and ``delete`` in
    any process makes all of them go (promptly; a lost notification must not leave a copy
    forever). Readers must treat what they get as shared: never change it."""

    async def set_many(self, keys: Sequence[str], value: bytes, ttl_seconds: int) -> None:
        """``set`` of one value under each key, in one trip to the cache's server."""
        ...
