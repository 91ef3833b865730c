"""Create a product a developer sells licenses for."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.ports import ProductRepository
from devforge.domain.licensing.product import Product


@dataclass(frozen=True, slots=True)
class CreateProduct:
    code: str
    name: str


class CreateProductHandler:
    """The caller owns the product (the shell lets only developers and admins call this); its
    code is unique across the platform."""

    def __init__(self, uow: UnitOfWork, products: ProductRepository, clock: Clock) -> None:
        self._uow, self._products, self._clock = uow, products, clock

    async def __call__(self, actor: Actor, command: CreateProduct) -> Product:
        product = Product(
            id=uuid4(), owner_id=actor.user_id, code=command.code, name=command.name, created_at=self._clock.now()
        )
        await self._products.add(product)
        await self._uow.commit()
        return product
