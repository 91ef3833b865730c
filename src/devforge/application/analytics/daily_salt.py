"""The day's salt for hashing client addresses (``domain/analytics/visitors.py``): made at random
by the first process to need it, shared through the cache (Redis in production) so every
process hashes alike, and gone with the cache entry after the day. Never written anywhere else."""

from __future__ import annotations

import secrets
from datetime import datetime

from devforge.application.common.cache import Cache

_TTL_SECONDS = 26 * 3600
"""The day and a little: yesterday's salt is never asked for again, and expires on its own."""


class DailySalt:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._day, self._salt = "", b""

    async def of(self, now: datetime) -> bytes:
        day = now.date().isoformat()
        if day != self._day:
            key = f"analytics:salt:{day}"
            await self._cache.add(key, secrets.token_bytes(32), _TTL_SECONDS)
            salt = await self._cache.get(key)
            if salt is None:  # the cache lost it between the two calls: this process's own for now
                salt = secrets.token_bytes(32)
            self._day, self._salt = day, salt
        return self._salt
