"""Validation: may this license run here, now? A pure read: it never writes, it only answers.

The checks run in this fixed, documented order, and the first failure is the answer:

 1. NOT_FOUND                   no license for the key
 2. REVOKED
 3. SUSPENDED
 4. EXPIRED                     only under REVOKE_ACCESS (everything is refused)
 5. OVERDUE                     the policy's check-in interval passed without a check-in
 6. PRODUCT_SCOPE_MISMATCH      the product given is another one, or none was given and the
                                policy requires the product scope
 7. ENTITLEMENTS_MISSING        an entitlement asked for is not granted, or none was asked for
                                and the policy requires the entitlements scope
 8. FINGERPRINT_SCOPE_REQUIRED  the policy requires a fingerprint and none was given
 9. NO_MACHINE                  no active machine, and a fingerprint was given or the policy is strict
10. FINGERPRINT_SCOPE_MISMATCH  no active machine has the fingerprint given
11. HEARTBEAT_NOT_STARTED       (heartbeat policies) that machine never pinged
12. HEARTBEAT_DEAD              (heartbeat policies) its last ping is older than the interval
13. TOO_MANY_MACHINES           more active machines than the limit: a failure beyond the
                                overage allowance, a warning within it
14. EXPIRED                     a failure under RESTRICT_ACCESS, a warning under MAINTAIN_ACCESS
                                and ALLOW_ACCESS
15. VALID

A warning is a valid answer that still names what is off. It never hides a failure further
down the list: with no failure, the first warning is the answer (valid), else VALID. So an
expired RESTRICT_ACCESS license over its limit but within its overage answers EXPIRED, invalid.
A FIRST_VALIDATION clock that has not started counts as not expired; the application starts it
afterwards with ``License.start_clock_on_validation``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.licensing.entitlement import entitlement_codes
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.machine import HeartbeatStatus
from devforge.domain.licensing.policy import ExpirationStrategy


class ValidationCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    REVOKED = "REVOKED"
    SUSPENDED = "SUSPENDED"
    EXPIRED = "EXPIRED"
    OVERDUE = "OVERDUE"
    PRODUCT_SCOPE_MISMATCH = "PRODUCT_SCOPE_MISMATCH"
    ENTITLEMENTS_MISSING = "ENTITLEMENTS_MISSING"
    FINGERPRINT_SCOPE_REQUIRED = "FINGERPRINT_SCOPE_REQUIRED"
    NO_MACHINE = "NO_MACHINE"
    FINGERPRINT_SCOPE_MISMATCH = "FINGERPRINT_SCOPE_MISMATCH"
    HEARTBEAT_NOT_STARTED = "HEARTBEAT_NOT_STARTED"
    HEARTBEAT_DEAD = "HEARTBEAT_DEAD"
    TOO_MANY_MACHINES = "TOO_MANY_MACHINES"
    VALID = "VALID"


@dataclass(frozen=True, kw_only=True)
class ValidationRequest:
    """The scope a client validates against; every part is optional unless the policy requires it."""

    product_id: UUID | None = None
    fingerprint: str | None = None
    entitlements: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "entitlements", entitlement_codes(self.entitlements))
        if self.fingerprint is not None:
            object.__setattr__(self, "fingerprint", self.fingerprint.strip())


@dataclass(frozen=True)
class ValidationResult:
    valid: bool
    code: ValidationCode
    detail: str


_VALID = ValidationResult(True, ValidationCode.VALID, "is valid")


def validate(license: License | None, request: ValidationRequest, now: datetime) -> ValidationResult:
    findings = _findings(license, request, now)
    first_warning: ValidationResult | None = None
    for finding in findings:
        if not finding.valid:
            return finding
        first_warning = first_warning or finding
    return first_warning or _VALID


def _findings(license: License | None, request: ValidationRequest, now: datetime) -> Iterator[ValidationResult]:
    """Everything off with the license, in the documented order (a generator: it stops at the first
    failure the caller returns)."""
    if license is None:
        yield ValidationResult(False, ValidationCode.NOT_FOUND, "does not exist")
        return
    policy = license.policy
    if license.status is LicenseStatus.REVOKED:
        yield ValidationResult(False, ValidationCode.REVOKED, "is revoked")
    if license.status is LicenseStatus.SUSPENDED:
        yield ValidationResult(False, ValidationCode.SUSPENDED, "is suspended")
    expired = license.is_expired(now)
    if expired and policy.expiration_strategy is ExpirationStrategy.REVOKE_ACCESS:
        yield ValidationResult(False, ValidationCode.EXPIRED, "is expired")
    if license.is_overdue(now):
        yield ValidationResult(False, ValidationCode.OVERDUE, "is overdue for check in")
    if request.product_id != license.product_id and (request.product_id or policy.require_product_scope):
        yield ValidationResult(False, ValidationCode.PRODUCT_SCOPE_MISMATCH, "product scope does not match")
    if not request.entitlements <= license.terms.entitlements or (
        policy.require_entitlements_scope and not request.entitlements
    ):
        yield ValidationResult(False, ValidationCode.ENTITLEMENTS_MISSING, "is missing one or more entitlements")
    if policy.require_fingerprint_scope and request.fingerprint is None:
        yield ValidationResult(False, ValidationCode.FINGERPRINT_SCOPE_REQUIRED, "fingerprint scope is required")
    active = license.active_machines
    if not active and (request.fingerprint is not None or policy.strict):
        yield ValidationResult(False, ValidationCode.NO_MACHINE, "is not activated on any machine")
    if request.fingerprint is not None:
        yield from _machine_findings(license, request.fingerprint, now)
    limit, allowance = license.terms.max_machines, license.terms.machine_allowance
    if limit is not None and allowance is not None and len(active) > limit:
        yield ValidationResult(len(active) <= allowance, ValidationCode.TOO_MANY_MACHINES, "has too many machines")
    if expired:
        yield ValidationResult(policy.expiration_strategy.validates_when_expired, ValidationCode.EXPIRED, "is expired")


def _machine_findings(license: License, fingerprint: str, now: datetime) -> Iterator[ValidationResult]:
    machine = license.machine_for(fingerprint)
    if machine is None:
        yield ValidationResult(False, ValidationCode.FINGERPRINT_SCOPE_MISMATCH, "fingerprint scope does not match")
        return
    if license.policy.heartbeat_required:
        status = machine.heartbeat_status(now, license.policy.heartbeat_interval)
        if status is HeartbeatStatus.NOT_STARTED:
            yield ValidationResult(False, ValidationCode.HEARTBEAT_NOT_STARTED, "machine heartbeat has not started")
        elif status is HeartbeatStatus.DEAD:
            yield ValidationResult(False, ValidationCode.HEARTBEAT_DEAD, "machine heartbeat is dead")
