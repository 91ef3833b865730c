"""Delete a product nobody depends on."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.errors import ProductInUse
from devforge.application.licensing.ports import LicenseReferences, PolicyRepository, ProductRepository


class DeleteProductHandler:
    """By its owner or an admin, and only while no policy or license refers to it (409
    ``PRODUCT_IN_USE``; delete its policies first). Its entitlement catalog goes with it."""

    def __init__(
        self,
        uow: UnitOfWork,
        products: ProductRepository,
        policies: PolicyRepository,
        licenses: LicenseReferences,
    ) -> None:
        self._uow, self._products, self._policies, self._licenses = uow, products, policies, licenses

    async def __call__(self, actor: Actor, product_id: UUID) -> None:
        product = await owned_product(self._products, actor, product_id, for_update=True)
        if await self._policies.list_for_product(product.id) or await self._licenses.product_has_licenses(product.id):
            raise ProductInUse("Policies or licenses still refer to this product; delete its policies first.")
        await self._products.remove(product.id)
        await self._uow.commit()
