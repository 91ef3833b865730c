"""List a product's catalog of features."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.ports import EntitlementRepository, ProductRepository
from devforge.domain.licensing.entitlement import Entitlement


class ListEntitlements:
    """By code, for the product's owner or an admin; someone else's product answers 404."""

    def __init__(self, products: ProductRepository, entitlements: EntitlementRepository) -> None:
        self._products, self._entitlements = products, entitlements

    async def __call__(self, actor: Actor, product_id: UUID) -> list[Entitlement]:
        product = await owned_product(self._products, actor, product_id)
        return await self._entitlements.list_for_product(product.id)
