"""The validation read-through cache: licenses by key digest, in the shared ``Cache``."""

from __future__ import annotations

from devforge.application.common.cache import Cache
from devforge.application.licensing.codec import license_from_bytes, license_to_bytes
from devforge.domain.licensing.license import License

TTL_SECONDS = 60


def cache_key(key_digest: str) -> str:
    return f"licensing:license:{key_digest}"


class LicenseCache:
    """Entries are dropped by the license's own events (``WhenLicenseChangedForgetCachedLicense``,
    which also covers changes made outside the use cases below, such as the cull), and at once
    after the commit by the use cases that change a license, so a client validating right after
    it activated sees its machine. The short TTL bounds what a validation filling the cache from
    a read taken just before a commit could leave behind. Missing licenses are not cached, so a
    new license validates as soon as it is committed."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def get(self, key_digest: str) -> License | None:
        raw = await self._cache.get(cache_key(key_digest))
        return None if raw is None else license_from_bytes(raw)

    async def put(self, license: License) -> None:
        await self._cache.set(cache_key(license.key_digest), license_to_bytes(license), TTL_SECONDS)

    async def forget(self, key_digest: str) -> None:
        await self._cache.delete(cache_key(key_digest))
