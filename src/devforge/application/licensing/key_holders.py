"""Licensing's published read for other contexts (bootstrap wires it; contexts never import each
other): whose active license a key is. Analytics takes a license key as an editor's credential
for sending events."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.domain.licensing.license import LicenseStatus
from devforge.domain.shared.errors import DomainError


class LicenseKeyLookup:
    def __init__(self, licenses: LicenseRepository, digests: LicenseKeyDigests, clock: Clock) -> None:
        self._licenses, self._digests, self._clock = licenses, digests, clock

    async def holder_of(self, license_key: str) -> UUID | None:
        """The holder of the key's license when it is active and not expired; None for anything
        else (a malformed key too: the caller learns nothing more)."""
        try:
            digest = self._digests.digest(license_key)
        except (DomainError, ValueError):
            return None
        license = await self._licenses.get_by_key_digest(digest)
        if license is None or license.status is not LicenseStatus.ACTIVE or license.is_expired(self._clock.now()):
            return None
        return license.user_id
