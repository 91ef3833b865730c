"""Licensing's published interface for other contexts (bootstrap wires it to them; contexts never
import each other): does a user hold a product, who owns a product, and which product a policy
licenses. Reads only."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.licensing.ports import LicenseRepository, PolicyRepository, ProductRepository
from devforge.domain.licensing.license import LicenseStatus


class LicenseHoldings:
    def __init__(
        self, products: ProductRepository, licenses: LicenseRepository, clock: Clock, policies: PolicyRepository
    ) -> None:
        self._products, self._licenses, self._clock, self._policies = products, licenses, clock, policies

    async def holds(self, user_id: UUID, product_id: UUID) -> bool:
        """A license of the product issued to the user that is active (not suspended, not revoked)
        and not expired now."""
        now = self._clock.now()
        return any(
            license.product_id == product_id and license.status is LicenseStatus.ACTIVE and not license.is_expired(now)
            for license in await self._licenses.list_for_user(user_id)
        )

    async def product_owner(self, product_id: UUID) -> UUID | None:
        product = await self._products.get(product_id)
        return product.owner_id if product else None

    async def policy_product(self, policy_id: UUID) -> UUID | None:
        """The product the policy issues licenses of; None when there is no such policy."""
        policy = await self._policies.get(policy_id)
        return policy.product_id if policy else None
