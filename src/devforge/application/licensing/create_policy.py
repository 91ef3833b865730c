"""Create a policy: the template licenses of a product are issued from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_product
from devforge.application.licensing.ports import EntitlementRepository, PolicyRepository, ProductRepository
from devforge.domain.licensing.entitlement import ensure_defined
from devforge.domain.licensing.policy import Policy


@dataclass(frozen=True, slots=True)
class CreatePolicy:
    product_id: UUID
    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    """Any other ``Policy`` field (max_machines, duration, overage...); the domain checks them."""


class CreatePolicyHandler:
    """Only the product's owner or an admin; someone else's product answers like a missing one.
    Its entitlements must be defined for the product (422 ``ENTITLEMENT_UNDEFINED``)."""

    def __init__(
        self,
        uow: UnitOfWork,
        products: ProductRepository,
        policies: PolicyRepository,
        entitlements: EntitlementRepository,
    ) -> None:
        self._uow, self._products, self._policies, self._entitlements = uow, products, policies, entitlements

    async def __call__(self, actor: Actor, command: CreatePolicy) -> Policy:
        product = await owned_product(self._products, actor, command.product_id, for_update=True)
        policy = Policy(id=uuid4(), product_id=product.id, name=command.name, **command.settings)
        if policy.entitlements:
            ensure_defined(policy.entitlements, await self._entitlements.list_for_product(product.id))
        await self._policies.add(policy)
        await self._uow.commit()
        return policy
