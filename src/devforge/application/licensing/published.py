"""What licensing publishes: the schemas other contexts decode (billing mails the keys of an
order from ``LicenseIssuedForOrderV1``; the validation cache, analytics and mail read the rest).
Frozen once published: a change is a new class with the next VERSION beside the old one
(tests/unit/contracts/published_events.json holds each one's fields). Standard library only.

Every license event names the license and its owner, so a consumer needs nothing else to act on
it. No event carries a license key in the clear: an order's keys travel sealed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.common.integration_events import IntegrationEvent


def sealed_key_context(order_id: UUID) -> str:
    """The SecretBox context an order's license keys are sealed under (``sealed_key`` below):
    only a holder of the box who knows the order opens them."""
    return f"license-for-order:{order_id}"


@dataclass(frozen=True, kw_only=True)
class IssuedLicenseV1:
    """``sealed_key``: the key sealed under ``sealed_key_context(order_id)``."""

    license_id: UUID
    key_prefix: str
    sealed_key: str


@dataclass(frozen=True, kw_only=True)
class LicenseIssuedForOrderV1(IntegrationEvent):
    """The licenses a paid order bought, issued: one event per order, every key in it."""

    NAME = "licensing.license_issued_for_order"
    VERSION = 1
    order_id: UUID
    licenses: tuple[IssuedLicenseV1, ...]


@dataclass(frozen=True, kw_only=True)
class LicenseCreatedV1(IntegrationEvent):
    NAME = "licensing.license_created"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    product_id: UUID
    policy_id: UUID
    order_id: UUID | None
    expires_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class LicenseActivatedV1(IntegrationEvent):
    NAME = "licensing.license_activated"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    machine_id: UUID
    fingerprint: str


@dataclass(frozen=True, kw_only=True)
class MachineDeactivatedV1(IntegrationEvent):
    NAME = "licensing.machine_deactivated"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    machine_id: UUID
    self_service: bool


@dataclass(frozen=True, kw_only=True)
class MachineHeartbeatDeadV1(IntegrationEvent):
    """The machine missed its heartbeats past the grace period; its seat is free again."""

    NAME = "licensing.machine_heartbeat_dead"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    machine_id: UUID


@dataclass(frozen=True, kw_only=True)
class MachineRevivedV1(IntegrationEvent):
    NAME = "licensing.machine_revived"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    machine_id: UUID


@dataclass(frozen=True, kw_only=True)
class LicenseClockStartedV1(IntegrationEvent):
    """The first activation or validation started the license's term."""

    NAME = "licensing.license_clock_started"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseRenewedV1(IntegrationEvent):
    """``previous_expires_at`` is None when a term paid elsewhere first gave the license one."""

    NAME = "licensing.license_renewed"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    previous_expires_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseTermEndedV1(IntegrationEvent):
    """The term paid for elsewhere ended early (its subscription ended): the expiry came forward."""

    NAME = "licensing.license_term_ended"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    previous_expires_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseLimitsChangedV1(IntegrationEvent):
    NAME = "licensing.license_limits_changed"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    max_machines: int | None
    max_uses: int | None
    deactivation_allowance: int | None


@dataclass(frozen=True, kw_only=True)
class LicenseSuspendedV1(IntegrationEvent):
    NAME = "licensing.license_suspended"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class LicenseReinstatedV1(IntegrationEvent):
    NAME = "licensing.license_reinstated"
    VERSION = 1
    license_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class LicenseRevokedV1(IntegrationEvent):
    NAME = "licensing.license_revoked"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class LicenseExpiringSoonV1(IntegrationEvent):
    """Once per term, within three days of the expiry (renewing starts a new term)."""

    NAME = "licensing.license_expiring_soon"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseExpiredV1(IntegrationEvent):
    """Once per term, after the expiry passed."""

    NAME = "licensing.license_expired"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseValidationFailedV1(IntegrationEvent):
    """``count`` validations answered not valid between ``first_at`` and the event's time, the last with ``code``."""

    NAME = "licensing.license_validation_failed"
    VERSION = 1
    license_id: UUID
    user_id: UUID
    code: str
    count: int
    first_at: datetime
