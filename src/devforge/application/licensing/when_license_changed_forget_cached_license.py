"""Keep the validation cache honest: every change to a license drops its cached copy."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.ports import LicenseRepository
from devforge.domain.licensing import events

CHANGES = (
    events.LicenseCreated,
    events.LicenseActivated,
    events.MachineDeactivated,
    events.MachineHeartbeatDead,
    events.MachineRevived,
    events.LicenseClockStarted,
    events.LicenseRenewed,
    events.LicenseTermEnded,
    events.LicenseLimitsChanged,
    events.LicenseSuspended,
    events.LicenseReinstated,
    events.LicenseRevoked,
)


class WhenLicenseChangedForgetCachedLicense:
    """The event names the license; its key digest (the cache key) comes from the repository.
    Deleting is idempotent, so a redelivered event does no harm."""

    name = "licensing.forget_cached_license"
    subscribes_to = tuple(event.name for event in CHANGES)

    def __init__(self, licenses: LicenseRepository, cache: LicenseCache) -> None:
        self._licenses, self._cache = licenses, cache

    async def handle(self, event: EventEnvelope) -> None:
        license = await self._licenses.get(UUID(event.payload["license_id"]))
        if license is not None:
            await self._cache.forget(license.key_digest)
