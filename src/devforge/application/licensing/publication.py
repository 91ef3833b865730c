"""Licensing's domain events as it publishes them (``published.py``), written by ``record_events``."""

from __future__ import annotations

from devforge.application.common.publication import Mirror, Publication
from devforge.application.licensing import published
from devforge.domain.licensing import events

PUBLICATION = Publication(
    {
        events.LicenseCreated: Mirror(published.LicenseCreatedV1),
        events.LicenseActivated: Mirror(published.LicenseActivatedV1),
        events.MachineDeactivated: Mirror(published.MachineDeactivatedV1),
        events.MachineHeartbeatDead: Mirror(published.MachineHeartbeatDeadV1),
        events.MachineRevived: Mirror(published.MachineRevivedV1),
        events.LicenseClockStarted: Mirror(published.LicenseClockStartedV1),
        events.LicenseRenewed: Mirror(published.LicenseRenewedV1),
        events.LicenseTermEnded: Mirror(published.LicenseTermEndedV1),
        events.LicenseLimitsChanged: Mirror(published.LicenseLimitsChangedV1),
        events.LicenseSuspended: Mirror(published.LicenseSuspendedV1),
        events.LicenseReinstated: Mirror(published.LicenseReinstatedV1),
        events.LicenseRevoked: Mirror(published.LicenseRevokedV1),
        events.LicenseExpiringSoon: Mirror(published.LicenseExpiringSoonV1),
        events.LicenseExpired: Mirror(published.LicenseExpiredV1),
        events.LicenseValidationFailed: Mirror(published.LicenseValidationFailedV1),
    }
)

# What the use cases call: their aggregates' pending events into the outbox, in their transaction.
record_events = PUBLICATION.record
