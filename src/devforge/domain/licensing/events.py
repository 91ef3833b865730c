"""Facts the licensing context publishes through the outbox.

Every event names the license and its owner, so consumers (mail, analytics, the validation
cache) need nothing else to act on it. No event carries a license key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class LicenseEvent(DomainEvent):
    name: ClassVar[str] = "licensing.license_event"
    license_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class LicenseCreated(LicenseEvent):
    name: ClassVar[str] = "licensing.license_created"
    product_id: UUID
    policy_id: UUID
    order_id: UUID | None
    expires_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class LicenseActivated(LicenseEvent):
    name: ClassVar[str] = "licensing.license_activated"
    machine_id: UUID
    fingerprint: str


@dataclass(frozen=True, kw_only=True)
class MachineDeactivated(LicenseEvent):
    name: ClassVar[str] = "licensing.machine_deactivated"
    machine_id: UUID
    self_service: bool


@dataclass(frozen=True, kw_only=True)
class MachineHeartbeatDead(LicenseEvent):
    """The machine missed its heartbeats past the grace period; its seat is free again."""

    name: ClassVar[str] = "licensing.machine_heartbeat_dead"
    machine_id: UUID


@dataclass(frozen=True, kw_only=True)
class MachineRevived(LicenseEvent):
    name: ClassVar[str] = "licensing.machine_revived"
    machine_id: UUID


@dataclass(frozen=True, kw_only=True)
class LicenseClockStarted(LicenseEvent):
    """The first activation or validation started the license's term."""

    name: ClassVar[str] = "licensing.license_clock_started"
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseRenewed(LicenseEvent):
    """``previous_expires_at`` is None when a term paid elsewhere first gave the license one."""

    name: ClassVar[str] = "licensing.license_renewed"
    previous_expires_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseTermEnded(LicenseEvent):
    """The term paid for elsewhere ended early (its subscription ended): the expiry came forward."""

    name: ClassVar[str] = "licensing.license_term_ended"
    previous_expires_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseLimitsChanged(LicenseEvent):
    name: ClassVar[str] = "licensing.license_limits_changed"
    max_machines: int | None
    max_uses: int | None
    deactivation_allowance: int | None


@dataclass(frozen=True, kw_only=True)
class LicenseSuspended(LicenseEvent):
    name: ClassVar[str] = "licensing.license_suspended"
    reason: str


@dataclass(frozen=True, kw_only=True)
class LicenseReinstated(LicenseEvent):
    name: ClassVar[str] = "licensing.license_reinstated"


@dataclass(frozen=True, kw_only=True)
class LicenseRevoked(LicenseEvent):
    name: ClassVar[str] = "licensing.license_revoked"
    reason: str


@dataclass(frozen=True, kw_only=True)
class LicenseExpiringSoon(LicenseEvent):
    """Sent once per term, within ``EXPIRING_NOTICE`` of the expiry (renewing starts a new term)."""

    name: ClassVar[str] = "licensing.license_expiring_soon"
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseExpired(LicenseEvent):
    """Sent once per term, after the expiry passed (whatever the policy's expiration strategy)."""

    name: ClassVar[str] = "licensing.license_expired"
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseValidationFailed(LicenseEvent):
    """Validations of this license that answered not valid, gathered over a few seconds: ``count``
    of them between ``first_at`` and ``occurred_at``, the last with ``code``."""

    name: ClassVar[str] = "licensing.license_validation_failed"
    code: str
    count: int
    first_at: datetime
