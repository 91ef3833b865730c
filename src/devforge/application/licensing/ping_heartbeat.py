"""A machine's heartbeat: it keeps a floating seat alive, or revives a culled one."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.lookup import license_by_key
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.application.licensing.publication import record_events
from devforge.application.licensing.retry import retrying
from devforge.application.licensing.views import MachineView


@dataclass(frozen=True, slots=True)
class PingHeartbeat:
    key: str
    fingerprint: str


class PingHeartbeatHandler:
    """Under the license's row lock, since reviving a culled machine takes a seat like an activation.
    A plain ping records no event, so it drops the cached license itself, after the commit."""

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

    async def __call__(self, command: PingHeartbeat) -> MachineView:
        return await retrying(self._uow, lambda: self._attempt(command))

    async def _attempt(self, command: PingHeartbeat) -> MachineView:
        license = await license_by_key(self._licenses, self._digests, command.key, for_update=True)
        machine = license.heartbeat(command.fingerprint, self._clock.now())
        await self._licenses.update(license)
        await record_events(self._outbox, license)
        await self._uow.commit()
        await self._cache.forget(license.key_digest)
        return MachineView.of(machine)
