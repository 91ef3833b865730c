"""List a product's policies."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.ports import PolicyRepository, ProductRepository
from devforge.domain.licensing.policy import Policy


class ListPolicies:
    """Every policy of a product its owner or an admin sees, by name; someone else's product 404s."""

    def __init__(self, products: ProductRepository, policies: PolicyRepository) -> None:
        self._products, self._policies = products, policies

    async def __call__(self, actor: Actor, product_id: UUID) -> list[Policy]:
        product = await owned_product(self._products, actor, product_id)
        return await self._policies.list_for_product(product.id)
