"""Show one license, found by its key or its id."""

from __future__ import annotations

from uuid import UUID

from devforge.application.licensing.caller import Caller, ensure_sees
from devforge.application.licensing.lookup import license_by_id, license_by_key
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.application.licensing.views import LicenseView


class GetLicense:
    """Its owner or an admin sees it; anyone else gets the answer a missing license gets (404),
    even when they hold the key."""

    def __init__(self, licenses: LicenseRepository, digests: LicenseKeyDigests) -> None:
        self._licenses, self._digests = licenses, digests

    async def __call__(self, caller: Caller, *, key: str | None = None, license_id: UUID | None = None) -> LicenseView:
        if key is not None:
            license = await license_by_key(self._licenses, self._digests, key)
            ensure_sees(caller, license.user_id)
        elif license_id is not None:
            license = await license_by_id(self._licenses, license_id, caller)
        else:
            raise ValueError("name the license by its key or its id")
        return LicenseView.of(license)
