"""Show one policy."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.catalog_access import owned_policy
from devforge.application.licensing.ports import PolicyRepository, ProductRepository
from devforge.domain.licensing.policy import Policy


class GetPolicy:
    """Its product's owner and admins see it; anyone else gets the answer a missing policy gets."""

    def __init__(self, products: ProductRepository, policies: PolicyRepository) -> None:
        self._products, self._policies = products, policies

    async def __call__(self, actor: Actor, policy_id: UUID) -> Policy:
        policy, _ = await owned_policy(self._policies, self._products, actor, policy_id)
        return policy
