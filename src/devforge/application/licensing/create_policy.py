"""Create a policy: the template licenses of a product are issued from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.caller import Caller
from devforge.application.licensing.errors import ProductNotFound
from devforge.application.licensing.ports import PolicyRepository, ProductRepository
from devforge.domain.licensing.policy import Policy


@dataclass(frozen=True, slots=True)
class CreatePolicy:
    product_id: UUID
    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    """Any other ``Policy`` field (max_machines, duration, overage...); the domain checks them."""


class CreatePolicyHandler:
    """Only the product's owner or an admin; someone else's product answers like a missing one."""

    def __init__(self, uow: UnitOfWork, products: ProductRepository, policies: PolicyRepository) -> None:
        self._uow, self._products, self._policies = uow, products, policies

    async def __call__(self, caller: Caller, command: CreatePolicy) -> Policy:
        product = await self._products.get(command.product_id)
        if product is None or not caller.owns_or_admin(product.owner_id):
            raise ProductNotFound("No such product.")
        policy = Policy(id=uuid4(), product_id=product.id, name=command.name, **command.settings)
        await self._policies.add(policy)
        await self._uow.commit()
        return policy
