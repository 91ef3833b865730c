"""The periodic cull: free the seats of heartbeat machines that stopped pinging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.errors import LicenseChangedConcurrently
from devforge.application.licensing.ports import LicenseRepository
from devforge.application.licensing.publication import record_events

GRACE = timedelta(minutes=2)
BATCH = 100


@dataclass(frozen=True, slots=True)
class CullReport:
    licenses_seen: int
    machines_culled: int


class CullDeadMachines:
    """Each license is locked, culled and committed on its own, so one busy license never holds
    the others back; one that changed meanwhile is simply culled at the next run."""

    def __init__(self, uow: UnitOfWork, licenses: LicenseRepository, outbox: Outbox, clock: Clock) -> None:
        self._uow, self._licenses, self._outbox, self._clock = uow, licenses, outbox, clock

    async def __call__(self, grace: timedelta = GRACE) -> CullReport:
        seen = culled = 0
        ids = await self._licenses.ids_with_heartbeat_machines(limit=BATCH)
        while ids:
            for license_id in ids:
                seen += 1
                culled += await self._cull(license_id, grace)
            ids = await self._licenses.ids_with_heartbeat_machines(limit=BATCH, after=ids[-1])
        await self._uow.rollback()
        return CullReport(seen, culled)

    async def _cull(self, license_id: UUID, grace: timedelta) -> int:
        license = await self._licenses.get(license_id, for_update=True)
        dead = license.cull_dead_machines(self._clock.now(), grace) if license else []
        if license is None or not dead:
            await self._uow.rollback()
            return 0
        try:
            await self._licenses.update(license)
        except LicenseChangedConcurrently:
            await self._uow.rollback()
            return 0
        await record_events(self._outbox, license)
        await self._uow.commit()
        return len(dead)
