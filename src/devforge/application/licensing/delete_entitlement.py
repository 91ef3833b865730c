"""Remove a feature from a product's catalog."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_entitlement
from devforge.application.licensing.errors import EntitlementInUse
from devforge.application.licensing.ports import EntitlementRepository, PolicyRepository, ProductRepository


class DeleteEntitlementHandler:
    """By the product's owner or an admin, and only while none of the product's policies lists
    the code (409 ``ENTITLEMENT_IN_USE``). The product's row is locked, as a policy change naming
    entitlements locks it, so the two cannot cross."""

    def __init__(
        self,
        uow: UnitOfWork,
        products: ProductRepository,
        policies: PolicyRepository,
        entitlements: EntitlementRepository,
    ) -> None:
        self._uow, self._products, self._policies, self._entitlements = uow, products, policies, entitlements

    async def __call__(self, actor: Actor, entitlement_id: UUID) -> None:
        entitlement, product = await owned_entitlement(self._entitlements, self._products, actor, entitlement_id)
        policies = await self._policies.list_for_product(product.id)
        granting = [policy.name for policy in policies if entitlement.code in policy.entitlements]
        if granting:
            raise EntitlementInUse(f"Policies still grant {entitlement.code}: {', '.join(granting)}.")
        await self._entitlements.remove(entitlement.id)
        await self._uow.commit()
