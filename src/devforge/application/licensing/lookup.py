"""Finding the license a use case acts on, with the rule of who may reach it."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository, ProductRepository
from devforge.domain.licensing.errors import LicenseNotFound
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.shared.errors import NotPermitted

LicenseRef = UUID | LicenseKey
"""A license named by its id (the worker, the CLI) or by its key (the HTTP routes, which take
the key from the path): either way the same lookup and the same rule of who may reach it."""


def ensure_sees(actor: Actor, owner_id: UUID) -> None:
    """Someone else's license answers exactly like a missing one, so ids and keys cannot be probed."""
    if not actor.owns_or_may(owner_id, LicensingPermission.ADMIN):
        raise LicenseNotFound("No such license.")


async def license_by_key(
    licenses: LicenseRepository, digests: LicenseKeyDigests, key: str, *, for_update: bool = False
) -> License:
    """The key is its own credential (clients send it); a malformed key fails before any lookup."""
    license = await licenses.get_by_key_digest(digests.digest(key), for_update=for_update)
    if license is None:
        raise LicenseNotFound("No such license.")
    return license


async def license_by_id(
    licenses: LicenseRepository, license_id: UUID, actor: Actor, *, for_update: bool = False
) -> License:
    license = await licenses.get(license_id, for_update=for_update)
    if license is None:
        raise LicenseNotFound("No such license.")
    ensure_sees(actor, license.user_id)
    return license


async def managed_license(
    licenses: LicenseRepository, products: ProductRepository, digests: LicenseKeyDigests, ref: LicenseRef, actor: Actor
) -> License:
    """Locked, for the product's owner or an admin. Its customer learns they may not; anyone
    else gets the answer a missing license gets."""
    if isinstance(ref, LicenseKey):
        license = await licenses.get_by_key_digest(digests.digest(str(ref)), for_update=True)
    else:
        license = await licenses.get(ref, for_update=True)
    if license is None:
        raise LicenseNotFound("No such license.")
    product = await products.get(license.product_id)
    if actor.may(LicensingPermission.ADMIN) or (product is not None and product.owner_id == actor.user_id):
        return license
    if license.user_id == actor.user_id:
        raise NotPermitted("Only the product's owner or an admin may do this.")
    raise LicenseNotFound("No such license.")
