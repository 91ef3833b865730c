"""THE MUST-SHOW: any sequence of license operations and clock moves keeps the seat limit, and
validation always answers what the documented order says.

The machine drives one license through activate, deactivate (self-service and admin),
heartbeat, cull, suspend, reinstate, renew, revoke, check-in, limit changes and clock steps.
After every step:
- active machines never exceed the limit plus overage: a lowered limit keeps the machines it
  finds (they are "grandfathered"), but no step ever adds one above the allowance;
- no two active machines share a fingerprint;
- ``validate`` agrees with the independent reference for every fingerprint and none.
Each operation's outcome (which error, if any) is predicted from the documented rules first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from devforge.domain.licensing import errors
from devforge.domain.licensing.deactivation_allowance import WINDOW
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.policy import (
    ClockStart,
    ExpirationStrategy,
    LimitOverrides,
    Overage,
    Policy,
    RenewalBasis,
)
from devforge.domain.licensing.validation import ValidationRequest, validate
from devforge.domain.shared.errors import DomainError
from tests.unit.licensing.builders import NOW, PRODUCT_ID, issued, policy
from tests.unit.licensing.reference import reference_answer

FINGERPRINTS = ["fp-a", "fp-b", "fp-c", "fp-d", "fp-e"]
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    floating = draw(st.booleans())
    return policy(
        floating=floating,
        max_machines=draw(st.integers(1, 4)) if floating else 1,
        overage=draw(st.sampled_from(Overage)),
        strict=draw(st.booleans()),
        duration=draw(st.sampled_from([None, HOUR, DAY])),
        expiration_strategy=draw(st.sampled_from(ExpirationStrategy)),
        clock_start=draw(st.sampled_from(ClockStart)),
        renewal_basis=draw(st.sampled_from(RenewalBasis)),
        heartbeat_required=draw(st.booleans()),
        heartbeat_interval=draw(st.sampled_from([MINUTE, 10 * MINUTE, HOUR])),
        check_in_interval=draw(st.sampled_from([None, None, DAY])),
        deactivation_allowance=draw(st.sampled_from([None, 0, 1, 2])),
        require_fingerprint_scope=draw(st.booleans()),
        entitlements=draw(st.sets(st.sampled_from(["ai", "sync"]))),
    )


class LicenseLifecycle(RuleBasedStateMachine):
    license: License
    now: datetime
    grandfathered: int
    self_service: list[datetime]

    @initialize(terms=policies())
    def issue(self, terms: Policy) -> None:
        self.now, self.grandfathered, self.self_service = NOW, 0, []
        self.license = issued(terms, now=NOW)

    # What the documented rules predict ---------------------------------------------------

    def expired(self) -> bool:
        return self.license.expires_at is not None and self.now >= self.license.expires_at

    def locked_out(self) -> type[DomainError] | None:
        """Revoked, or expired under REVOKE_ACCESS: nothing but validation works."""
        if self.license.status is LicenseStatus.REVOKED:
            return errors.LicenseRevoked
        if self.expired() and self.license.policy.expiration_strategy is ExpirationStrategy.REVOKE_ACCESS:
            return errors.LicenseExpired
        return None

    def seat_refusal(self) -> type[DomainError] | None:
        """Why a new machine may not take a seat now, if it may not."""
        if (locked := self.locked_out()) is not None:
            return locked
        if self.license.status is LicenseStatus.SUSPENDED:
            return errors.LicenseSuspended
        if self.expired() and self.license.policy.expiration_strategy is not ExpirationStrategy.ALLOW_ACCESS:
            return errors.LicenseExpired
        return None

    def full(self) -> bool:
        allowance = self.license.terms.machine_allowance
        return allowance is not None and len(self.license.active_machines) >= allowance

    def attempt(self, expected: type[DomainError] | None, action: object) -> bool:
        """Run ``action``; it must raise exactly ``expected`` (or succeed when None)."""
        assert callable(action)
        raised: DomainError | None = None
        try:
            action()
        except DomainError as error:
            raised = error
        assert type(raised) is (expected or type(None)), f"{raised!r} raised, {expected} expected"
        return raised is None

    # Steps -----------------------------------------------------------------------------------

    @rule(fingerprint=st.sampled_from(FINGERPRINTS))
    def activate(self, fingerprint: str) -> None:
        existing = self.license.machine_for(fingerprint)
        refusal = self.seat_refusal()
        if refusal is None and existing is None and self.full():
            refusal = errors.MachineLimitExceeded
        count = len(self.license.active_machines)
        machine_id = uuid4()
        if self.attempt(refusal, lambda: self.license.activate(fingerprint, self.now, machine_id=machine_id)):
            machine = self.license.machine_for(fingerprint)
            assert machine is not None and machine.id == (existing.id if existing else machine_id)
            assert len(self.license.active_machines) == count + (existing is None)

    @rule(fingerprint=st.sampled_from(FINGERPRINTS), self_service=st.booleans())
    def deactivate(self, fingerprint: str, self_service: bool) -> None:
        allowance = self.license.terms.deactivation_allowance
        recent = [at for at in self.self_service if self.now - at < WINDOW]
        expected = self.locked_out()
        if expected is None and self.license.machine_for(fingerprint) is None:
            expected = errors.MachineNotFound
        if expected is None and self_service and allowance is not None and len(recent) >= allowance:
            expected = errors.DeactivationLimitExceeded
        action = lambda: self.license.deactivate(self.now, self_service=self_service, fingerprint=fingerprint)  # noqa: E731
        if self.attempt(expected, action):
            assert self.license.machine_for(fingerprint) is None
            if self_service:
                self.self_service.append(self.now)

    @rule(fingerprint=st.sampled_from(FINGERPRINTS))
    def heartbeat(self, fingerprint: str) -> None:
        revivable = any(
            m.fingerprint == fingerprint and str(m.status) == "DEAD" and self.now - m.ended_at <= DAY
            for m in self.license.machines
            if m.ended_at is not None
        )
        expected = self.locked_out()
        if expected is None and self.license.machine_for(fingerprint) is None:
            expected = (
                (self.seat_refusal() or (errors.MachineLimitExceeded if self.full() else None))
                if revivable
                else errors.MachineNotFound
            )
        if self.attempt(expected, lambda: self.license.heartbeat(fingerprint, self.now)):
            machine = self.license.machine_for(fingerprint)
            assert machine is not None and machine.last_heartbeat_at == self.now

    @rule(grace=st.sampled_from([timedelta(0), MINUTE, HOUR]))
    def cull(self, grace: timedelta) -> None:
        before = len(self.license.active_machines)
        culled = self.license.cull_dead_machines(self.now, grace)
        assert len(self.license.active_machines) == before - len(culled)
        assert not culled or self.license.policy.heartbeat_required

    @rule(dice=st.integers(0, 2))
    def suspend(self, dice: int) -> None:
        if dice:
            return
        revoked = self.license.status is LicenseStatus.REVOKED
        self.attempt(errors.LicenseRevoked if revoked else None, lambda: self.license.suspend("unpaid", self.now))

    @rule()
    def reinstate(self) -> None:
        revoked = self.license.status is LicenseStatus.REVOKED
        self.attempt(errors.LicenseRevoked if revoked else None, lambda: self.license.reinstate(self.now))

    @rule(dice=st.integers(0, 9))
    def revoke(self, dice: int) -> None:
        if dice:  # revocation is final: kept rare, so most runs explore a live license
            return
        self.license.revoke("refunded", self.now)
        assert self.license.status is LicenseStatus.REVOKED

    @rule()
    def renew(self) -> None:
        expected: type[DomainError] | None = None
        if self.license.status is LicenseStatus.REVOKED:
            expected = errors.LicenseRevoked
        elif self.license.expires_at is None:
            expected = errors.LicenseNotRenewable
        before = self.license.expires_at
        if self.attempt(expected, lambda: self.license.renew(self.now)):
            assert before is not None and self.license.expires_at is not None
            assert self.license.expires_at > min(before, self.now)

    @rule()
    def check_in(self) -> None:
        if self.attempt(self.locked_out(), lambda: self.license.check_in(self.now)):
            assert not self.license.is_overdue(self.now)

    @rule(max_machines=st.sampled_from([None, 1, 2, 3]))
    def change_the_machine_limit(self, max_machines: int | None) -> None:
        if not self.license.policy.floating:
            max_machines = None
        self.license.override_limits(LimitOverrides(max_machines=max_machines), self.now)
        allowance = self.license.terms.machine_allowance
        if allowance is not None:
            self.grandfathered = max(0, len(self.license.active_machines) - allowance)

    @rule(seconds=st.sampled_from([30, 61, 10 * 60, 11 * 60, 3600]))
    def let_minutes_pass(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @rule(hours=st.sampled_from([2, 12, 25, 24 * 31]))
    def let_hours_pass(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(
        product_id=st.sampled_from([None, PRODUCT_ID, uuid4()]),
        fingerprint=st.sampled_from([None, *FINGERPRINTS]),
        entitlements=st.sets(st.sampled_from(["ai", "sync"])),
    )
    def validate_a_request(self, product_id: UUID | None, fingerprint: str | None, entitlements: set[str]) -> None:
        request = ValidationRequest(
            product_id=product_id, fingerprint=fingerprint, entitlements=frozenset(entitlements)
        )
        result = validate(self.license, request, self.now)
        assert (result.code, result.valid) == reference_answer(self.license, request, self.now)
        event(f"validate -> {result.code} ({'valid' if result.valid else 'invalid'})")
        self.license.start_clock_on_validation(self.now)  # what the application does afterwards

    # Invariants ------------------------------------------------------------------------------

    @invariant()
    def seats_never_exceed_the_limit_plus_overage(self) -> None:
        active = len(self.license.active_machines)
        allowance = self.license.terms.machine_allowance
        if allowance is not None:
            assert active <= allowance + self.grandfathered
            self.grandfathered = min(self.grandfathered, max(0, active - allowance))

    @invariant()
    def a_fingerprint_holds_at_most_one_seat(self) -> None:
        fingerprints = [m.fingerprint for m in self.license.active_machines]
        assert len(fingerprints) == len(set(fingerprints))

    @invariant()
    def validation_follows_the_documented_order(self) -> None:
        for fingerprint in [None, *FINGERPRINTS]:
            request = ValidationRequest(product_id=PRODUCT_ID, fingerprint=fingerprint)
            result = validate(self.license, request, self.now)
            assert (result.code, result.valid) == reference_answer(self.license, request, self.now)


LicenseLifecycle.TestCase.settings = settings(
    max_examples=300, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_license_lifecycle = LicenseLifecycle.TestCase
