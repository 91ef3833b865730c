"""Show one product."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import visible_product
from devforge.application.licensing.ports import LicensingCatalogReader
from devforge.domain.licensing.product import Product


class GetProduct:
    """Its owner and admins see it; anyone else gets the answer a missing product gets. A plain
    read: one statement on committed data, no unit of work."""

    def __init__(self, catalog: LicensingCatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, actor: Actor, product_id: UUID) -> Product:
        return visible_product(await self._catalog.product(product_id), actor)
