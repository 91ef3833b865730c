"""List a product's policies."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import visible_product
from devforge.application.licensing.ports import LicensingCatalogReader
from devforge.domain.licensing.policy import Policy


class ListPolicies:
    """Every policy of a product its owner or an admin sees, by name; someone else's product 404s.
    A plain read: one statement on committed data, no unit of work."""

    def __init__(self, catalog: LicensingCatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, actor: Actor, product_id: UUID) -> list[Policy]:
        found = await self._catalog.product_with_policies(product_id)
        product, policies = found if found else (None, [])
        visible_product(product, actor)
        return policies
