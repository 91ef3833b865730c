"""The periodic expiry notices: "expiring soon" three days before, "expired" after."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.errors import LicenseChangedConcurrently
from devforge.application.licensing.ports import LicenseRepository
from devforge.application.licensing.publication import record_events
from devforge.domain.licensing.license import EXPIRING_NOTICE

BATCH = 200


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    candidates: int
    announced: int


class AnnounceLicenseExpiry:
    """Each license is locked, asked (``License.announce_expiry`` decides what is due) and
    committed on its own, with its event in the outbox; a redelivered run finds nothing due
    twice because the license remembers the expiry it announced. Runs in the worker."""

    def __init__(self, uow: UnitOfWork, licenses: LicenseRepository, outbox: Outbox, clock: Clock) -> None:
        self._uow, self._licenses, self._outbox, self._clock = uow, licenses, outbox, clock

    async def __call__(self) -> ExpiryReport:
        now = self._clock.now()
        ids = await self._licenses.ids_due_an_expiry_notice(now, EXPIRING_NOTICE, limit=BATCH)
        announced = 0
        for license_id in ids:
            license = await self._licenses.get(license_id, for_update=True)
            if license is None or not license.announce_expiry(now):
                await self._uow.rollback()
                continue
            try:
                await self._licenses.update(license)
            except LicenseChangedConcurrently:
                await self._uow.rollback()
                continue
            await record_events(self._outbox, license)
            await self._uow.commit()
            announced += 1
        await self._uow.rollback()
        return ExpiryReport(len(ids), announced)
