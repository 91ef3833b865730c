"""Rename a product."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.ports import ProductRepository
from devforge.domain.licensing.product import Product


@dataclass(frozen=True, slots=True)
class RenameProduct:
    product_id: UUID
    name: str


class RenameProductHandler:
    """By its owner or an admin. The code stays: clients send it as a validation's product scope."""

    def __init__(self, uow: UnitOfWork, products: ProductRepository) -> None:
        self._uow, self._products = uow, products

    async def __call__(self, actor: Actor, command: RenameProduct) -> Product:
        product = (await owned_product(self._products, actor, command.product_id)).renamed(command.name)
        await self._products.update(product)
        await self._uow.commit()
        return product
