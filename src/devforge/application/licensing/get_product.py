"""Show one product."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.ports import ProductRepository
from devforge.domain.licensing.product import Product


class GetProduct:
    """Its owner and admins see it; anyone else gets the answer a missing product gets."""

    def __init__(self, products: ProductRepository) -> None:
        self._products = products

    async def __call__(self, actor: Actor, product_id: UUID) -> Product:
        return await owned_product(self._products, actor, product_id)
