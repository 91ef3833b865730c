from __future__ import annotations

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
