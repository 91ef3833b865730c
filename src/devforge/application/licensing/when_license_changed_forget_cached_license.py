"""Keep the validation cache honest: every change to a license drops its cached copy."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.licensing import published
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.ports import LicenseRepository

CHANGES = (
    published.LicenseCreatedV1,
    published.LicenseActivatedV1,
    published.MachineDeactivatedV1,
    published.MachineHeartbeatDeadV1,
    published.MachineRevivedV1,
    published.LicenseClockStartedV1,
    published.LicenseRenewedV1,
    published.LicenseTermEndedV1,
    published.LicenseLimitsChangedV1,
    published.LicenseSuspendedV1,
    published.LicenseReinstatedV1,
    published.LicenseRevokedV1,
)


class WhenLicenseChangedForgetCachedLicense:
    """The event names the license; its key digest (the cache key) comes from the repository.
    Deleting is idempotent, so a redelivered event does no harm."""

    name = "licensing.forget_cached_license"
    subscribes_to = CHANGES

    def __init__(self, licenses: LicenseRepository, cache: LicenseCache) -> None:
        self._licenses, self._cache = licenses, cache

    async def handle(self, event: EventEnvelope) -> None:
        changed = decode(event, *CHANGES)
        assert isinstance(changed, CHANGES)
        license = await self._licenses.get(changed.license_id)
        if license is not None:
            await self._cache.forget(license.key_digest)
