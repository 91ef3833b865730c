"""Policies: the template a license is issued from.

A license copies its policy when it is issued (a snapshot), so editing a policy later never
changes the terms a customer already bought. The rules a policy holds itself to:
- a node-locked policy allows exactly one machine; a floating one any positive number, or none
  (``max_machines=None`` means unlimited);
- heartbeats, when required, arrive at most every 60 s (``heartbeat_interval >= 60 s``);
- the term (``duration``), the check-in interval and the use limit are positive when set; the
  deactivation allowance may be 0 (only an admin frees a seat); ``None`` means "no such limit".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from devforge.domain.licensing.entitlement import entitlement_codes
from devforge.domain.licensing.errors import PolicyInvalid

MIN_HEARTBEAT_INTERVAL = timedelta(seconds=60)
MIN_CHECK_IN_INTERVAL = timedelta(seconds=60)


class ExpirationStrategy(StrEnum):
    """What an expired license still may do.

    RESTRICT_ACCESS: validation answers EXPIRED (invalid); no new machines.
    REVOKE_ACCESS: as if revoked: EXPIRED right after the status checks; no activation, heartbeat
    or check-in.
    MAINTAIN_ACCESS: still validates (code EXPIRED, valid); no new machines.
    ALLOW_ACCESS: still validates and still activates new machines.
    """

    RESTRICT_ACCESS = "RESTRICT_ACCESS"
    REVOKE_ACCESS = "REVOKE_ACCESS"
    MAINTAIN_ACCESS = "MAINTAIN_ACCESS"
    ALLOW_ACCESS = "ALLOW_ACCESS"

    @property
    def validates_when_expired(self) -> bool:
        return self in (ExpirationStrategy.MAINTAIN_ACCESS, ExpirationStrategy.ALLOW_ACCESS)

    @property
    def activates_when_expired(self) -> bool:
        return self is ExpirationStrategy.ALLOW_ACCESS


class ClockStart(StrEnum):
    """When the term starts running: at issue, at the first activation, or the first validation."""

    CREATION = "CREATION"
    FIRST_ACTIVATION = "FIRST_ACTIVATION"
    FIRST_VALIDATION = "FIRST_VALIDATION"


class RenewalBasis(StrEnum):
    """Where a renewal adds one more term: to the old expiry, to now, or to now only if expired."""

    FROM_EXPIRY = "FROM_EXPIRY"
    FROM_NOW = "FROM_NOW"
    FROM_NOW_IF_EXPIRED = "FROM_NOW_IF_EXPIRED"

    def renewed(self, *, expires_at: datetime, duration: timedelta, now: datetime) -> datetime:
        if self is RenewalBasis.FROM_NOW or (self is RenewalBasis.FROM_NOW_IF_EXPIRED and now >= expires_at):
            return now + duration
        return expires_at + duration


class Overage(StrEnum):
    """How far past ``max_machines`` activation may go: the allowance is ``floor(limit * factor)``."""

    NONE = "NONE"
    ALLOW_1_25X = "ALLOW_1_25X"
    ALLOW_1_5X = "ALLOW_1_5X"
    ALLOW_2X = "ALLOW_2X"

    def allowance(self, limit: int) -> int:
        """Integer arithmetic only (no float rounding): 3 machines at 1.25x allow 3, 4 allow 5."""
        numerator, denominator = _FACTORS[self]
        return limit * numerator // denominator


_FACTORS = {Overage.NONE: (1, 1), Overage.ALLOW_1_25X: (5, 4), Overage.ALLOW_1_5X: (3, 2), Overage.ALLOW_2X: (2, 1)}


def _positive(value: int | None, name: str, minimum: int = 1) -> None:
    if value is not None and value < minimum:
        raise PolicyInvalid(f"{name} must be at least {minimum}.", field=name)


@dataclass(frozen=True, kw_only=True)
class Policy:
    id: UUID
    product_id: UUID
    name: str
    duration: timedelta | None = None
    max_machines: int | None = 1
    max_uses: int | None = None
    floating: bool = False
    strict: bool = False
    require_product_scope: bool = False
    require_fingerprint_scope: bool = False
    require_entitlements_scope: bool = False
    heartbeat_required: bool = False
    heartbeat_interval: timedelta = timedelta(minutes=10)
    expiration_strategy: ExpirationStrategy = ExpirationStrategy.RESTRICT_ACCESS
    clock_start: ClockStart = ClockStart.CREATION
    renewal_basis: RenewalBasis = RenewalBasis.FROM_EXPIRY
    overage: Overage = Overage.NONE
    check_in_interval: timedelta | None = None
    deactivation_allowance: int | None = 3
    entitlements: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 1 <= len(self.name.strip()) <= 100:
            raise PolicyInvalid("Name the policy in 1 to 100 characters.", field="name")
        if self.duration is not None and self.duration <= timedelta(0):
            raise PolicyInvalid("A term lasts a positive time.", field="duration")
        _positive(self.max_machines, "max_machines")
        if not self.floating and self.max_machines != 1:
            raise PolicyInvalid("A node-locked policy allows exactly one machine.", field="max_machines")
        _positive(self.max_uses, "max_uses")
        _positive(self.deactivation_allowance, "deactivation_allowance", minimum=0)
        if self.heartbeat_interval < MIN_HEARTBEAT_INTERVAL:
            raise PolicyInvalid("Heartbeats come at most every 60 seconds.", field="heartbeat_interval")
        if self.check_in_interval is not None and self.check_in_interval < MIN_CHECK_IN_INTERVAL:
            raise PolicyInvalid("Check-ins come at most every 60 seconds.", field="check_in_interval")
        object.__setattr__(self, "entitlements", entitlement_codes(self.entitlements))

    def revised(self, **changes: Any) -> Policy:
        """The same policy with ``changes``, held to every rule above. It stays the template of
        its product: the id and the product never change. Licenses already issued keep the
        snapshot they were issued with (``LicenseTerms.policy``)."""
        for name in changes:
            if name in ("id", "product_id") or name not in _FIELDS:
                raise PolicyInvalid(f"{name} cannot be changed.", field=name)
        return replace(self, **changes)

    def machine_allowance(self, limit: int | None) -> int | None:
        """Seats activation may fill for a license limited to ``limit`` machines (None: unlimited)."""
        return None if limit is None else self.overage.allowance(limit)


_FIELDS = frozenset(f.name for f in fields(Policy))


@dataclass(frozen=True, kw_only=True)
class LimitOverrides:
    """Per-license exceptions to the policy's limits; ``None`` keeps the policy's value."""

    max_machines: int | None = None
    max_uses: int | None = None
    deactivation_allowance: int | None = None

    def __post_init__(self) -> None:
        _positive(self.max_machines, "max_machines")
        _positive(self.max_uses, "max_uses")
        _positive(self.deactivation_allowance, "deactivation_allowance", minimum=0)
