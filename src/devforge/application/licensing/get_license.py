"""Show one license, found by its key or its id."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseReader
from devforge.application.licensing.views import LicenseView
from devforge.domain.licensing.errors import LicenseNotFound
from devforge.domain.licensing.permissions import LicensingPermission


class GetLicense:
    """Its customer, its product's owner or an admin sees it; anyone else gets the answer a
    missing license gets (404), even when they hold the key. A plain read: one statement (the
    license, its machines, its product's owner, its usage) on committed data, no unit of work."""

    def __init__(self, licenses: LicenseReader, digests: LicenseKeyDigests) -> None:
        self._licenses, self._digests = licenses, digests

    async def __call__(self, actor: Actor, *, key: str | None = None, license_id: UUID | None = None) -> LicenseView:
        if key is not None:
            shown = await self._licenses.shown_by_key_digest(self._digests.digest(key))
        elif license_id is not None:
            shown = await self._licenses.shown_by_id(license_id)
        else:
            raise ValueError("name the license by its key or its id")
        if shown is None:
            raise LicenseNotFound("No such license.")
        owner_of_product = shown.product_owner_id == actor.user_id
        if not (owner_of_product or actor.owns_or_may(shown.license.user_id, LicensingPermission.ADMIN)):
            raise LicenseNotFound("No such license.")
        return LicenseView.of(shown.license, shown.usage)
