"""Show one license, found by its key or its id."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.lookup import license_by_key
from devforge.application.licensing.ports import (
    LicenseKeyDigests,
    LicenseRepository,
    LicenseUsageCounters,
    ProductRepository,
)
from devforge.application.licensing.views import LicenseView
from devforge.domain.licensing.errors import LicenseNotFound
from devforge.domain.licensing.permissions import LicensingPermission


class GetLicense:
    """Its customer, its product's owner or an admin sees it; anyone else gets the answer a
    missing license gets (404), even when they hold the key."""

    def __init__(
        self,
        licenses: LicenseRepository,
        products: ProductRepository,
        digests: LicenseKeyDigests,
        usage: LicenseUsageCounters,
    ) -> None:
        self._licenses, self._products, self._digests, self._usage = licenses, products, digests, usage

    async def __call__(self, actor: Actor, *, key: str | None = None, license_id: UUID | None = None) -> LicenseView:
        if key is not None:
            license = await license_by_key(self._licenses, self._digests, key)
        elif license_id is not None:
            found = await self._licenses.get(license_id)
            if found is None:
                raise LicenseNotFound("No such license.")
            license = found
        else:
            raise ValueError("name the license by its key or its id")
        if not actor.owns_or_may(license.user_id, LicensingPermission.ADMIN):
            product = await self._products.get(license.product_id)
            if product is None or product.owner_id != actor.user_id:
                raise LicenseNotFound("No such license.")
        return LicenseView.of(license, await self._usage.get(license.id))
