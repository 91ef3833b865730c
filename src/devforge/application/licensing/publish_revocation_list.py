"""The signed list of revoked and suspended license ids that offline clients check their files against."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.ports import LicenseRepository


class PublishRevocationList:
    """A read: the ids revoked and suspended now, signed now under the active key."""

    def __init__(self, licenses: LicenseRepository, offline: OfflineLicenses, clock: Clock) -> None:
        self._licenses, self._offline, self._clock = licenses, offline, clock

    async def __call__(self) -> str:
        revoked, suspended = await self._licenses.revoked_ids(), await self._licenses.suspended_ids()
        return self._offline.revocation_list(revoked, suspended=suspended, now=self._clock.now())
