"""The validation read-through cache: licenses by key digest, in the shared ``ReadMostlyCache``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from devforge.application.common.cache import ReadMostlyCache
from devforge.application.licensing.codec import license_from_bytes, license_to_bytes
from devforge.domain.licensing.license import License

TTL_SECONDS = 3600
"""A safety net only: changes drop the entry explicitly (below)."""
TOMBSTONE = b"\x00forgotten"
TOMBSTONE_SECONDS = 10
FILL_WITHIN_SECONDS = 2.0
DECODED_MAX = 100_000


def cache_key(key_digest: str) -> str:
    return f"licensing:license:{key_digest}"


class LicenseCache:
    """Rules that keep a cached license from ever outliving a change for long:

    - ``forget`` (called by every use case that changes a license, right after its commit, and
      again by the consumer ``licensing.forget_cached_license`` on every license event) does not
      delete the entry: it writes a tombstone for ``TOMBSTONE_SECONDS``, which reads as a miss.
    - ``fill`` stores a license read from the database only if nothing is there (no entry, no
      tombstone), and only if the read is at most ``FILL_WITHIN_SECONDS`` old. So a validation
      that read the license just before a change committed either fills before the tombstone
      (which then overwrites it) or finds the tombstone and leaves nothing behind: a stale copy
      cannot land. That is what lets the TTL be an hour rather than seconds.
    - Missing licenses are not cached, so a new license validates as soon as it is committed.

    Decoding is memoised on the cached bytes themselves: as long as the cache hands back the very
    same bytes object, the license decoded from it is handed out again. A license from ``get`` is
    therefore shared between requests: read it, never change it. One instance per process."""

    def __init__(self, cache: ReadMostlyCache, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._cache, self._now = cache, monotonic
        self._decoded: dict[str, tuple[bytes, License]] = {}

    def started(self) -> float:
        """The moment to pass to ``fill`` for a read that starts now."""
        return self._now()

    async def get(self, key_digest: str) -> License | None:
        raw = await self._cache.get(cache_key(key_digest))
        if raw is None or raw == TOMBSTONE:
            self._decoded.pop(key_digest, None)
            return None
        memo = self._decoded.get(key_digest)
        if memo is not None and memo[0] is raw:
            return memo[1]
        license = license_from_bytes(raw)
        if len(self._decoded) >= DECODED_MAX:
            self._decoded.pop(next(iter(self._decoded)))
        self._decoded[key_digest] = (raw, license)
        return license

    async def fill(self, license: License, read_started: float) -> bool:
        """True when the license went into the cache."""
        if self._now() - read_started > FILL_WITHIN_SECONDS:
            return False
        return await self._cache.add(cache_key(license.key_digest), license_to_bytes(license), TTL_SECONDS)

    async def forget_many(self, key_digests: Sequence[str]) -> None:
        """``forget`` of each, in one trip to the cache."""
        for key_digest in key_digests:
            self._decoded.pop(key_digest, None)
        await self._cache.set_many([cache_key(digest) for digest in key_digests], TOMBSTONE, TOMBSTONE_SECONDS)

    async def forget(self, key_digest: str) -> None:
        self._decoded.pop(key_digest, None)
        await self._cache.set(cache_key(key_digest), TOMBSTONE, TOMBSTONE_SECONDS)
