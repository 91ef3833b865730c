"""Keep the validation cache honest: every change to a license drops its cached copy."""

from __future__ import annotations

from collections.abc import Sequence

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
    Deleting is idempotent, so a redelivered event does no harm. Handles batches: the events of
    one claim cost one read and one trip to the cache."""

    name = "licensing.forget_cached_license"
    subscribes_to = CHANGES

    def __init__(self, licenses: LicenseRepository, cache: LicenseCache) -> None:
        self._licenses, self._cache = licenses, cache

    async def handle(self, event: EventEnvelope) -> None:
        await self.handle_batch([event])

    async def handle_batch(self, events: Sequence[EventEnvelope]) -> None:
        """The licenses' digests in one read, their forgets in one trip to the cache."""
        changed = [decode(event, *CHANGES) for event in events]
        ids = [each.license_id for each in changed if isinstance(each, CHANGES)]
        await self._cache.forget_many(await self._licenses.key_digests(ids))
