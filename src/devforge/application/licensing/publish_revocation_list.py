"""The signed list of revoked and suspended license ids that offline clients check their files against."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.ports import LicenseReader


class PublishRevocationList:
    """A read: the ids revoked and suspended now (one statement on the common read path, through an
    index on the status), signed now under the active key."""

    def __init__(self, licenses: LicenseReader, offline: OfflineLicenses, clock: Clock) -> None:
        self._licenses, self._offline, self._clock = licenses, offline, clock

    async def __call__(self) -> str:
        withdrawn = await self._licenses.withdrawn_ids()
        return self._offline.revocation_list(withdrawn.revoked, suspended=withdrawn.suspended, now=self._clock.now())
