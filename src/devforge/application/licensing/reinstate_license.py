"""Reinstate a suspended license."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.licensing.license_change import LicenseChange
from devforge.application.licensing.lookup import LicenseRef
from devforge.application.licensing.views import LicenseView
from devforge.domain.licensing.license import License


class ReinstateLicenseHandler(LicenseChange):
    """By the product's owner or an admin; the license's customer may not, anyone else gets 404."""

    async def __call__(self, actor: Actor, license: LicenseRef) -> LicenseView:
        return await self._change(actor, license)

    def _apply(self, license: License, reason: str) -> None:
        license.reinstate(self._clock.now())
