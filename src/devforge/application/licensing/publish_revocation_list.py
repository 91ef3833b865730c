"""The signed list of revoked license ids that offline clients check their files against."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.ports import LicenseRepository


class PublishRevocationList:
    """A read: the current revoked ids, signed now under the active key."""

    def __init__(self, licenses: LicenseRepository, offline: OfflineLicenses, clock: Clock) -> None:
        self._licenses, self._offline, self._clock = licenses, offline, clock

    async def __call__(self) -> str:
        return self._offline.revocation_list(await self._licenses.revoked_ids(), now=self._clock.now())
