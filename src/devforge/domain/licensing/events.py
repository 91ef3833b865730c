"""Facts of licensing. Each goes out through the outbox as the schema
``application/licensing/published.py`` maps it to (the contract other contexts read).

Every event names the license and its owner, so consumers (mail, analytics, the validation
cache) need nothing else to act on it. No event carries a license key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class LicenseEvent(DomainEvent):
    license_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class LicenseCreated(LicenseEvent):
    product_id: UUID
    policy_id: UUID
    order_id: UUID | None
    expires_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class LicenseActivated(LicenseEvent):
    machine_id: UUID
    fingerprint: str


@dataclass(frozen=True, kw_only=True)
class MachineDeactivated(LicenseEvent):
    machine_id: UUID
    self_service: bool


@dataclass(frozen=True, kw_only=True)
class MachineHeartbeatDead(LicenseEvent):
    """The machine missed its heartbeats past the grace period; its seat is free again."""

    machine_id: UUID


@dataclass(frozen=True, kw_only=True)
class MachineRevived(LicenseEvent):
    machine_id: UUID


@dataclass(frozen=True, kw_only=True)
class LicenseClockStarted(LicenseEvent):
    """The first activation or validation started the license's term."""

    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseRenewed(LicenseEvent):
    """``previous_expires_at`` is None when a term paid elsewhere first gave the license one."""

    previous_expires_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseTermEnded(LicenseEvent):
    """The term paid for elsewhere ended early (its subscription ended): the expiry came forward."""

    previous_expires_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseLimitsChanged(LicenseEvent):
    max_machines: int | None
    max_uses: int | None
    deactivation_allowance: int | None


@dataclass(frozen=True, kw_only=True)
class LicenseSuspended(LicenseEvent):
    reason: str


@dataclass(frozen=True, kw_only=True)
class LicenseReinstated(LicenseEvent):
    """A suspended license is active again."""


@dataclass(frozen=True, kw_only=True)
class LicenseRevoked(LicenseEvent):
    reason: str


@dataclass(frozen=True, kw_only=True)
class LicenseExpiringSoon(LicenseEvent):
    """Sent once per term, within ``EXPIRING_NOTICE`` of the expiry (renewing starts a new term)."""

    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseExpired(LicenseEvent):
    """Sent once per term, after the expiry passed (whatever the policy's expiration strategy)."""

    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class LicenseValidationFailed(LicenseEvent):
    """Validations of this license that answered not valid, gathered over a few seconds: ``count``
    of them between ``first_at`` and ``occurred_at``, the last with ``code``."""

    code: str
    count: int
    first_at: datetime
