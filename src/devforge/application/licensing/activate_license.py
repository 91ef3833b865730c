"""Activate a license on a machine: the client sends its key and the machine's fingerprint."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

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
class ActivateLicense:
    key: str
    fingerprint: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Activation:
    """``new``: this call took the seat. Decided under the license's row lock, so of two identical
    activations at once exactly one is new."""

    machine: MachineView
    new: bool


class ActivateLicenseHandler:
    """Race-free: the license is stored with a version check, so concurrent activations never pass
    the limit (plus overage). The first attempt counts the seats on one read of the license with its
    machines, unlocked (one round trip fewer: a store that lost the race finds another version and
    changes nothing); an attempt after a lost race locks the license row first, so fifty at once on
    one license settle in turn rather than retrying past the limit of attempts. A fingerprint that is
    already active gets its machine back (not new) and nothing is written."""

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

    async def __call__(self, command: ActivateLicense) -> Activation:
        attempts = 0

        async def attempt() -> Activation:
            nonlocal attempts
            attempts += 1
            return await self._attempt(command, locked=attempts > 1)

        return await retrying(self._uow, attempt)

    async def _attempt(self, command: ActivateLicense, *, locked: bool) -> Activation:
        license = await license_by_key(self._licenses, self._digests, command.key, for_update=locked)
        known = {m.id for m in license.machines}
        machine = license.activate(command.fingerprint, self._clock.now(), machine_id=uuid4(), name=command.name)
        if machine.id in known:
            await self._uow.rollback()  # releases the lock; nothing changed
            return Activation(MachineView.of(machine), new=False)
        await self._licenses.update(license)
        await record_events(self._outbox, license)
        await self._uow.commit()
        await self._cache.forget(license.key_digest)  # the client's next validation sees it at once
        return Activation(MachineView.of(machine), new=True)
