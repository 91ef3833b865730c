"""List a product's catalog of features."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import visible_product
from devforge.application.licensing.ports import LicensingCatalogReader
from devforge.domain.licensing.entitlement import Entitlement


class ListEntitlements:
    """By code, for the product's owner or an admin; someone else's product answers 404. A plain
    read: one statement on committed data, no unit of work."""

    def __init__(self, catalog: LicensingCatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, actor: Actor, product_id: UUID) -> list[Entitlement]:
        found = await self._catalog.product_with_entitlements(product_id)
        product, entitlements = found if found else (None, [])
        visible_product(product, actor)
        return entitlements
