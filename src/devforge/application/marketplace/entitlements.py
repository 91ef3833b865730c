"""The marketplace's view of licensing: whether a user holds a product, and who owns a product.

The marketplace never imports licensing: bootstrap serves this port with licensing's published
interface (``application/licensing/holdings.py``). Not transactional: reads only.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.domain.marketplace.entitlement import LicenseProductInvalid
from devforge.domain.marketplace.permissions import MarketplacePermission


class EntitlementCheck(Protocol):
    async def holds(self, user_id: UUID, product_id: UUID) -> bool:
        """True when the user holds a license of the product that is active and not expired."""
        ...

    async def product_owner(self, product_id: UUID) -> UUID | None:
        """The developer owning the product; None when there is no such product."""
        ...


async def ensure_may_link(entitlements: EntitlementCheck, actor: Actor, product_id: UUID | None) -> None:
    """A publisher links its own product (an administrator any); someone else's product answers
    exactly like a missing one."""
    if product_id is None:
        return
    owner = await entitlements.product_owner(product_id)
    if owner is None or not (actor.may(MarketplacePermission.EXTENSIONS_REVIEW) or owner == actor.user_id):
        raise LicenseProductInvalid("No licensing product of yours has this id.", field="licenseProductId")
