"""Finding a catalog entry for an actor: its product's owner and admins see it; to anyone else
it answers exactly like a missing one (404), so ids cannot be probed."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.errors import EntitlementNotFound, PolicyNotFound, ProductNotFound
from devforge.application.licensing.ports import EntitlementRepository, PolicyRepository, ProductRepository
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product


def visible_product(product: Product | None, actor: Actor) -> Product:
    """The product, when the actor owns it or is an admin; else the answer a missing one gets."""
    if product is None or not actor.owns_or_may(product.owner_id, LicensingPermission.ADMIN):
        raise ProductNotFound("No such product.")
    return product


async def owned_product(
    products: ProductRepository, actor: Actor, product_id: UUID, *, for_update: bool = False
) -> Product:
    return visible_product(await products.get(product_id, for_update=for_update), actor)


async def owned_policy(
    policies: PolicyRepository, products: ProductRepository, actor: Actor, policy_id: UUID, *, lock: bool = False
) -> tuple[Policy, Product]:
    """``lock`` takes the product's row, the lock every change to its catalog takes."""
    policy = await policies.get(policy_id)
    product = await products.get(policy.product_id, for_update=lock) if policy else None
    if policy is None or product is None or not actor.owns_or_may(product.owner_id, LicensingPermission.ADMIN):
        raise PolicyNotFound("No such policy.")
    return policy, product


async def owned_entitlement(
    entitlements: EntitlementRepository, products: ProductRepository, actor: Actor, entitlement_id: UUID
) -> tuple[Entitlement, Product]:
    entitlement = await entitlements.get(entitlement_id)
    product = await products.get(entitlement.product_id, for_update=True) if entitlement else None
    if entitlement is None or product is None or not actor.owns_or_may(product.owner_id, LicensingPermission.ADMIN):
        raise EntitlementNotFound("No such entitlement.")
    return entitlement, product
