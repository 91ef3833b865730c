"""The validation read-through cache: licenses by key digest, in the shared ``ReadMostlyCache``."""

from __future__ import annotations

from devforge.application.common.cache import ReadMostlyCache
from devforge.application.licensing.codec import license_from_bytes, license_to_bytes
from devforge.domain.licensing.license import License

TTL_SECONDS = 60
DECODED_MAX = 100_000


def cache_key(key_digest: str) -> str:
    return f"licensing:license:{key_digest}"


class LicenseCache:
    """Entries are dropped by the license's own events (``WhenLicenseChangedForgetCachedLicense``,
    which also covers changes made outside the use cases below, such as the cull), and at once
    after the commit by the use cases that change a license, so a client validating right after
    it activated sees its machine. The short TTL bounds what a validation filling the cache from
    a read taken just before a commit could leave behind. Missing licenses are not cached, so a
    new license validates as soon as it is committed.

    Decoding is memoised on the cached bytes themselves: as long as the cache hands back the very
    same bytes object, the license decoded from it is handed out again. A license from ``get`` is
    therefore shared between requests: read it, never change it. One instance per process."""

    def __init__(self, cache: ReadMostlyCache) -> None:
        self._cache = cache
        self._decoded: dict[str, tuple[bytes, License]] = {}

    async def get(self, key_digest: str) -> License | None:
        raw = await self._cache.get(cache_key(key_digest))
        if raw is None:
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

    async def put(self, license: License) -> None:
        await self._cache.set(cache_key(license.key_digest), license_to_bytes(license), TTL_SECONDS)

    async def forget(self, key_digest: str) -> None:
        self._decoded.pop(key_digest, None)
        await self._cache.delete(cache_key(key_digest))
