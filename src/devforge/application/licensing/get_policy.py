"""Show one policy."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.licensing.errors import PolicyNotFound
from devforge.application.licensing.ports import LicensingCatalogReader
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.policy import Policy


class GetPolicy:
    """Its product's owner and admins see it; anyone else gets the answer a missing policy gets.
    A plain read: one statement on committed data, no unit of work."""

    def __init__(self, catalog: LicensingCatalogReader) -> None:
        self._catalog = catalog

    async def __call__(self, actor: Actor, policy_id: UUID) -> Policy:
        found = await self._catalog.policy_with_product(policy_id)
        if found is None or not actor.owns_or_may(found[1].owner_id, LicensingPermission.ADMIN):
            raise PolicyNotFound("No such policy.")  # someone else's: as if missing
        return found[0]
