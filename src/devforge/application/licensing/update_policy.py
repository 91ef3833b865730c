"""Change a policy: the template of licenses issued from now on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_policy
from devforge.application.licensing.ports import EntitlementRepository, PolicyRepository, ProductRepository
from devforge.domain.licensing.entitlement import ensure_defined
from devforge.domain.licensing.policy import Policy


@dataclass(frozen=True, slots=True)
class UpdatePolicy:
    policy_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    """``Policy`` fields to change (name, max_machines, duration...); the domain checks them."""


class UpdatePolicyHandler:
    """By its product's owner or an admin. A license keeps the policy snapshot it was issued with
    (``LicenseTerms.policy``), so a change reaches only licenses issued afterwards. A code added
    to its entitlements must be defined for the product."""

    def __init__(
        self,
        uow: UnitOfWork,
        products: ProductRepository,
        policies: PolicyRepository,
        entitlements: EntitlementRepository,
    ) -> None:
        self._uow, self._products, self._policies, self._entitlements = uow, products, policies, entitlements

    async def __call__(self, actor: Actor, command: UpdatePolicy) -> Policy:
        policy, product = await owned_policy(self._policies, self._products, actor, command.policy_id, lock=True)
        revised = policy.revised(**command.changes)
        added = revised.entitlements - policy.entitlements
        if added:
            ensure_defined(added, await self._entitlements.list_for_product(product.id))
        await self._policies.update(revised)
        await self._uow.commit()
        return revised
