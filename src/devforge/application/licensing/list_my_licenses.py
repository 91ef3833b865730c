"""The caller's own licenses."""

from __future__ import annotations

from devforge.application.licensing.caller import Caller
from devforge.application.licensing.ports import LicenseRepository
from devforge.application.licensing.views import LicenseView


class ListMyLicenses:
    """Every license issued to the caller, oldest first, revoked ones included (with their status)."""

    def __init__(self, licenses: LicenseRepository) -> None:
        self._licenses = licenses

    async def __call__(self, caller: Caller) -> list[LicenseView]:
        return [LicenseView.of(license) for license in await self._licenses.list_for_user(caller.user_id)]
