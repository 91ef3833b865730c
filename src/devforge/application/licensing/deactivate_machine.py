"""Free a machine's seat: self-service (with the key, or as the license's owner) or by an admin."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.lookup import license_by_id, license_by_key
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.application.licensing.publication import record_events
from devforge.application.licensing.retry import retrying
from devforge.application.licensing.views import MachineView
from devforge.domain.licensing.permissions import LicensingPermission


@dataclass(frozen=True, slots=True)
class DeactivateMachine:
    """Name the license by ``key`` (a client) or ``license_id`` (a signed-in actor), and the
    machine by ``machine_id`` or ``fingerprint``."""

    key: str | None = None
    license_id: UUID | None = None
    machine_id: UUID | None = None
    fingerprint: str | None = None


class DeactivateMachineHandler:
    """A client or the owner spends the rolling 30-day self-service allowance; an admin never
    does (the reset that unsticks a customer who reinstalled too often)."""

    def __init__(
        self,
        uow: UnitOfWork,
        licenses: LicenseRepository,
        digests: LicenseKeyDigests,
        outbox: Outbox,
        cache: LicenseCache,
        clock: Clock,
    ) -> None:
        self._uow, self._licenses, self._digests, self._outbox = uow, licenses, digests, outbox
        self._cache, self._clock = cache, clock

    async def __call__(self, command: DeactivateMachine, actor: Actor | None = None) -> MachineView:
        return await retrying(self._uow, lambda: self._attempt(command, actor))

    async def _attempt(self, command: DeactivateMachine, actor: Actor | None) -> MachineView:
        if command.key is not None:
            license = await license_by_key(self._licenses, self._digests, command.key, for_update=True)
        elif command.license_id is not None and actor is not None:
            license = await license_by_id(self._licenses, command.license_id, actor, for_update=True)
        else:
            raise ValueError("name the license by its key, or by its id with an actor")
        self_service = actor is None or not actor.may(LicensingPermission.ADMIN)
        machine = license.deactivate(
            self._clock.now(), self_service=self_service, machine_id=command.machine_id, fingerprint=command.fingerprint
        )
        await self._licenses.update(license)
        await record_events(self._outbox, license)
        await self._uow.commit()
        await self._cache.forget(license.key_digest)  # the client's next validation sees it at once
        return MachineView.of(machine)
