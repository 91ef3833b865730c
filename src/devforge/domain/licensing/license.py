"""The license aggregate: a user's right to run a product, on a limited number of machines.

The rules it keeps:
- its terms are a snapshot of the policy it was issued from plus per-license overrides; its
  expiry is the policy's duration counted from the clock start (issue, first activation or
  first validation), and a perpetual policy never sets one, unless the term is paid for
  elsewhere (a subscription): then it expires when what was paid runs out, each paid period
  moves the expiry on (never back), and an ended subscription brings it forward to the end of
  what was paid;
- ACTIVE, SUSPENDED (reversible) or REVOKED (final, kept with its reason: a soft delete);
- a fingerprint activates the license at most once: activating it again returns the same
  machine; a new machine needs a free seat within the limit plus the overage, an ACTIVE license
  and an unexpired term (unless the policy is ALLOW_ACCESS); so does reviving a culled machine;
- self-service deactivation is limited per rolling 30 days; an admin's is not;
- a REVOKED license, or one expired under REVOKE_ACCESS, accepts no heartbeat, check-in,
  deactivation or use.
Machine rules are in ``license_machines.py``; checks that only read are in ``validation.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.licensing import errors, events
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.license_machines import MachineSeats
from devforge.domain.licensing.machine import Machine
from devforge.domain.licensing.policy import ClockStart, ExpirationStrategy, LimitOverrides
from devforge.domain.licensing.terms import LicenseTerms

EXPIRING_NOTICE = timedelta(days=3)


class LicenseStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"


@dataclass(eq=False)
class License(MachineSeats):
    id: UUID
    user_id: UUID
    terms: LicenseTerms
    key_digest: str
    key_prefix: str
    created_at: datetime
    order_id: UUID | None = None
    status: LicenseStatus = LicenseStatus.ACTIVE
    expires_at: datetime | None = None
    machines: list[Machine] = field(default_factory=list)
    uses: int = 0
    last_check_in_at: datetime | None = None
    self_service_deactivations: list[datetime] = field(default_factory=list)
    suspend_reason: str | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    expiring_notice_for: datetime | None = None  # the expiry the "expiring soon" notice was sent for
    expired_notice_for: datetime | None = None  # the expiry the "expired" notice was sent for
    version: int = 0  # bumped by each stored update: the optimistic check on top of the row lock

    @classmethod
    def issue(
        cls,
        *,
        license_id: UUID,
        user_id: UUID,
        terms: LicenseTerms,
        key: LicenseKey,
        key_digest: str,
        now: datetime,
        order_id: UUID | None = None,
        paid_until: datetime | None = None,
    ) -> License:
        """Keep only the key's digest and visible prefix; the caller shows the full key once.
        ``paid_until``: the end of a term paid for elsewhere (a subscription's), which is then
        the expiry whatever the policy says."""
        if str(key) in key_digest:
            raise ValueError("a license keeps the key's digest, never the key")
        license = cls(
            id=license_id,
            user_id=user_id,
            terms=terms,
            key_digest=key_digest,
            key_prefix=key.visible_prefix,
            created_at=now,
            order_id=order_id,
        )
        if paid_until is not None:
            license.expires_at = paid_until
        elif terms.policy.clock_start is ClockStart.CREATION and terms.policy.duration is not None:
            license.expires_at = now + terms.policy.duration
        license.record(
            events.LicenseCreated(
                occurred_at=now,
                **license._ids(),
                product_id=terms.policy.product_id,
                policy_id=terms.policy.id,
                order_id=order_id,
                expires_at=license.expires_at,
            )
        )
        return license

    @property
    def product_id(self) -> UUID:
        return self.terms.policy.product_id

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def is_overdue(self, now: datetime) -> bool:
        """A policy with a check-in interval wants a check-in (or the issue) within each interval."""
        interval = self.policy.check_in_interval
        return interval is not None and now > (self.last_check_in_at or self.created_at) + interval

    # Term and usage -------------------------------------------------------------------------

    def start_clock_on_validation(self, now: datetime) -> bool:
        """FIRST_VALIDATION policies start the term at the first validation. Validation itself
        never writes, so the application calls this afterwards; True when it started the clock."""
        if self.policy.clock_start is not ClockStart.FIRST_VALIDATION or self.status is LicenseStatus.REVOKED:
            return False
        return self._start_clock(now)

    def announce_expiry(self, now: datetime) -> bool:
        """At most one "expiring soon" notice (in the last ``EXPIRING_NOTICE`` of a term) and one
        "expired" notice per term: both remember the expiry they were sent for, so a renewal,
        which moves the expiry, makes them due again. A license found already expired gets only
        the second; a revoked one gets neither. True when a notice was recorded."""
        expiry = self.expires_at
        if expiry is None or self.status is LicenseStatus.REVOKED:
            return False
        if now >= expiry:
            if self.expired_notice_for == expiry:
                return False
            self.expired_notice_for = expiry
            self.record(events.LicenseExpired(occurred_at=now, **self._ids(), expires_at=expiry))
            return True
        if now < expiry - EXPIRING_NOTICE or self.expiring_notice_for == expiry:
            return False
        self.expiring_notice_for = expiry
        self.record(events.LicenseExpiringSoon(occurred_at=now, **self._ids(), expires_at=expiry))
        return True

    def report_failed_validations(self, code: str, count: int, first_at: datetime, last_at: datetime) -> None:
        """Validations never write; the tally of failed ones becomes one event afterwards."""
        failed = events.LicenseValidationFailed(
            occurred_at=last_at, **self._ids(), code=code, count=count, first_at=first_at
        )
        self.record(failed)

    def renew(self, now: datetime) -> datetime:
        """Add one term on the policy's renewal basis; returns the new expiry."""
        duration = self.policy.duration
        if self.status is LicenseStatus.REVOKED:
            raise errors.LicenseRevoked("A revoked license cannot be renewed.")
        if duration is None or self.expires_at is None:
            raise errors.LicenseNotRenewable("This license has no running term to extend.")
        previous = self.expires_at
        self.expires_at = self.policy.renewal_basis.renewed(expires_at=previous, duration=duration, now=now)
        renewed = events.LicenseRenewed(
            occurred_at=now, **self._ids(), previous_expires_at=previous, expires_at=self.expires_at
        )
        self.record(renewed)
        return self.expires_at

    def extend_to(self, paid_until: datetime, now: datetime) -> bool:
        """A term paid for elsewhere (a subscription's renewal) runs to ``paid_until``: the expiry
        moves on to it, never back. True when it moved; a revoked license stays as it is."""
        if self.status is LicenseStatus.REVOKED or (self.expires_at is not None and paid_until <= self.expires_at):
            return False
        previous, self.expires_at = self.expires_at, paid_until
        renewed = events.LicenseRenewed(
            occurred_at=now, **self._ids(), previous_expires_at=previous, expires_at=paid_until
        )
        self.record(renewed)
        return True

    def end_term(self, paid_until: datetime, now: datetime) -> bool:
        """What was paid for ends at ``paid_until`` (a subscription ended): the expiry comes
        forward to it, never later. True when it moved."""
        if self.status is LicenseStatus.REVOKED or (self.expires_at is not None and self.expires_at <= paid_until):
            return False
        previous, self.expires_at = self.expires_at, paid_until
        self.record(
            events.LicenseTermEnded(occurred_at=now, **self._ids(), previous_expires_at=previous, expires_at=paid_until)
        )
        return True

    def check_in(self, now: datetime) -> None:
        self._ensure_reachable(now)
        self.last_check_in_at = now

    def use(self, now: datetime, count: int = 1) -> int:
        """Count ``count`` uses against the use limit, all or none; returns the new total."""
        self._ensure_may_take_a_seat(now)
        limit = self.terms.max_uses
        if count < 1 or (limit is not None and self.uses + count > limit):
            raise errors.UsageLimitExceeded(f"This license allows {limit} uses.", field="count")
        self.uses += count
        return self.uses

    def override_limits(self, overrides: LimitOverrides, now: datetime) -> None:
        """Lowering the machine limit below the active machines keeps them; validation then
        answers TOO_MANY_MACHINES until enough are deactivated."""
        self.terms = self.terms.with_overrides(overrides)
        self.record(
            events.LicenseLimitsChanged(
                occurred_at=now,
                **self._ids(),
                max_machines=self.terms.max_machines,
                max_uses=self.terms.max_uses,
                deactivation_allowance=self.terms.deactivation_allowance,
            )
        )

    # Status ------------------------------------------------------------------------------------

    def suspend(self, reason: str, now: datetime) -> None:
        """Idempotent; a revoked license stays revoked."""
        self._ensure_not_revoked()
        if self.status is LicenseStatus.ACTIVE:
            self.status, self.suspend_reason = LicenseStatus.SUSPENDED, reason
            self.record(events.LicenseSuspended(occurred_at=now, **self._ids(), reason=reason))

    def reinstate(self, now: datetime) -> None:
        self._ensure_not_revoked()
        if self.status is LicenseStatus.SUSPENDED:
            self.status, self.suspend_reason = LicenseStatus.ACTIVE, None
            self.record(events.LicenseReinstated(occurred_at=now, **self._ids()))

    def revoke(self, reason: str, now: datetime) -> None:
        """Final and idempotent: the first revocation's time and reason are kept."""
        if self.status is not LicenseStatus.REVOKED:
            self.status, self.revoked_at, self.revoke_reason = LicenseStatus.REVOKED, now, reason
            self.record(events.LicenseRevoked(occurred_at=now, **self._ids(), reason=reason))

    # Guards -----------------------------------------------------------------------------------

    def _ensure_not_revoked(self) -> None:
        if self.status is LicenseStatus.REVOKED:
            raise errors.LicenseRevoked("This license has been revoked.")

    def _ensure_reachable(self, now: datetime) -> None:
        self._ensure_not_revoked()
        if self.is_expired(now) and self.policy.expiration_strategy is ExpirationStrategy.REVOKE_ACCESS:
            raise errors.LicenseExpired("This license has expired.")

    def _ensure_may_take_a_seat(self, now: datetime) -> None:
        self._ensure_reachable(now)
        if self.status is LicenseStatus.SUSPENDED:
            raise errors.LicenseSuspended("This license is suspended.")
        if self.is_expired(now) and not self.policy.expiration_strategy.activates_when_expired:
            raise errors.LicenseExpired("This license has expired.")

    def _start_clock(self, now: datetime) -> bool:
        if self.expires_at is not None or self.policy.duration is None:
            return False
        self.expires_at = now + self.policy.duration
        self.record(events.LicenseClockStarted(occurred_at=now, **self._ids(), expires_at=self.expires_at))
        return True

    def _ids(self) -> dict[str, UUID]:
        return {"license_id": self.id, "user_id": self.user_id}
