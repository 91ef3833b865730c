"""Define a feature in a product's catalog."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.ports import EntitlementRepository, ProductRepository
from devforge.domain.licensing.entitlement import Entitlement


@dataclass(frozen=True, slots=True)
class DefineEntitlement:
    product_id: UUID
    code: str
    name: str


class DefineEntitlementHandler:
    """By the product's owner or an admin; a code is defined once per product (409
    ``ENTITLEMENT_CODE_TAKEN``). Policies and licenses of the product may then grant it."""

    def __init__(
        self, uow: UnitOfWork, products: ProductRepository, entitlements: EntitlementRepository, clock: Clock
    ) -> None:
        self._uow, self._products, self._entitlements, self._clock = uow, products, entitlements, clock

    async def __call__(self, actor: Actor, command: DefineEntitlement) -> Entitlement:
        product = await owned_product(self._products, actor, command.product_id)
        entitlement = Entitlement(
            id=uuid4(), product_id=product.id, code=command.code, name=command.name, created_at=self._clock.now()
        )
        await self._entitlements.add(entitlement)
        await self._uow.commit()
        return entitlement
