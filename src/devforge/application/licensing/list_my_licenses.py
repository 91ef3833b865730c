"""The caller's own licenses."""

from __future__ import annotations

from devforge.application.common.actor import Actor
from devforge.application.licensing.ports import LicenseReader
from devforge.application.licensing.views import LicenseView


class ListMyLicenses:
    """Every license issued to the actor, oldest first, revoked ones included (with their status).
    A plain read: one statement on committed data, no unit of work."""

    def __init__(self, licenses: LicenseReader) -> None:
        self._licenses = licenses

    async def __call__(self, actor: Actor) -> list[LicenseView]:
        return [LicenseView.of(license) for license in await self._licenses.list_for_user(actor.user_id)]
