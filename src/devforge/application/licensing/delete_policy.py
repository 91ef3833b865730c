"""Delete a policy no license was issued from."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.catalog_access import owned_policy
from devforge.application.licensing.errors import PolicyInUse
from devforge.application.licensing.ports import LicenseReferences, PolicyRepository, ProductRepository


class DeletePolicyHandler:
    """By its product's owner or an admin, and only while no license was issued from it (409
    ``POLICY_IN_USE``): a license points to the policy it came from."""

    def __init__(
        self,
        uow: UnitOfWork,
        products: ProductRepository,
        policies: PolicyRepository,
        licenses: LicenseReferences,
    ) -> None:
        self._uow, self._products, self._policies, self._licenses = uow, products, policies, licenses

    async def __call__(self, actor: Actor, policy_id: UUID) -> None:
        policy, _ = await owned_policy(self._policies, self._products, actor, policy_id, lock=True)
        if await self._licenses.policy_has_licenses(policy.id):
            raise PolicyInUse("Licenses were issued from this policy.")
        await self._policies.remove(policy.id)
        await self._uow.commit()
