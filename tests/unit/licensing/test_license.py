"""License rules: issue, the clock, activation, deactivation, heartbeats, status and renewal."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from devforge.domain.licensing import errors, events
from devforge.domain.licensing.license import LicenseStatus
from devforge.domain.licensing.machine import HeartbeatStatus, MachineStatus
from devforge.domain.licensing.policy import ClockStart, ExpirationStrategy, LimitOverrides, Overage, RenewalBasis
from tests.unit.licensing.builders import NOW, activated, issued, policy

DAY, MINUTE = timedelta(days=1), timedelta(minutes=1)


def test_issuing_keeps_the_digest_and_prefix_only_and_starts_a_creation_clock() -> None:
    license = issued(policy(duration=30 * DAY))
    assert license.expires_at == NOW + 30 * DAY and license.key_prefix.startswith("DF-")
    assert issued(policy()).expires_at is None  # perpetual


@pytest.mark.parametrize("start", [ClockStart.FIRST_ACTIVATION, ClockStart.FIRST_VALIDATION])
def test_a_deferred_clock_starts_once_at_its_moment(start: ClockStart) -> None:
    license = issued(policy(duration=30 * DAY, clock_start=start, floating=True, max_machines=2))
    assert license.expires_at is None
    activated(license, "fp-1", now=NOW + DAY)
    started = license.start_clock_on_validation(NOW + DAY)
    assert license.expires_at == NOW + 31 * DAY and started is (start is ClockStart.FIRST_VALIDATION)
    activated(license, "fp-2", now=NOW + 2 * DAY)
    assert not license.start_clock_on_validation(NOW + 3 * DAY) and license.expires_at == NOW + 31 * DAY
    assert [type(e) for e in license.pull_events()].count(events.LicenseClockStarted) == 1


def test_activating_an_active_fingerprint_again_returns_the_same_machine() -> None:
    license = issued()
    first = license.activate(" fp-1 ", NOW, machine_id=uuid4())
    again = license.activate("fp-1", NOW + MINUTE, machine_id=uuid4())
    assert again is first and len(license.active_machines) == 1
    (event,) = license.pull_events()
    assert isinstance(event, events.LicenseActivated) and event.machine_id == first.id


@pytest.mark.parametrize(("limit", "overage", "seats"), [(3, Overage.NONE, 3), (4, Overage.ALLOW_1_25X, 5)])
def test_activation_stops_at_the_limit_plus_overage(limit: int, overage: Overage, seats: int) -> None:
    license = activated(
        issued(policy(floating=True, max_machines=limit, overage=overage)), *[f"fp-{i}" for i in range(seats)]
    )
    with pytest.raises(errors.MachineLimitExceeded) as refused:
        license.activate("one-too-many", NOW, machine_id=uuid4())
    assert refused.value.code == "MACHINE_LIMIT_EXCEEDED" and len(license.active_machines) == seats
    assert license.activate("fp-0", NOW, machine_id=uuid4()).fingerprint == "fp-0"  # still idempotent when full


@pytest.mark.parametrize(
    ("strategy", "allowed"),
    [(s, s is ExpirationStrategy.ALLOW_ACCESS) for s in ExpirationStrategy],
)
def test_only_allow_access_activates_an_expired_license(strategy: ExpirationStrategy, allowed: bool) -> None:
    license = issued(policy(duration=DAY, expiration_strategy=strategy))
    if allowed:
        assert activated(license, "fp", now=NOW + DAY).active_machines
    else:
        with pytest.raises(errors.LicenseExpired):
            license.activate("fp", NOW + DAY, machine_id=uuid4())


def test_suspended_and_revoked_licenses_take_no_new_machine() -> None:
    license = issued()
    license.suspend("chargeback", NOW)
    with pytest.raises(errors.LicenseSuspended):
        license.activate("fp", NOW, machine_id=uuid4())
    license.revoke("fraud", NOW)
    with pytest.raises(errors.LicenseRevoked):
        license.activate("fp", NOW, machine_id=uuid4())


def test_self_service_deactivation_is_limited_per_rolling_30_days_and_an_admin_is_not() -> None:
    license = activated(issued(policy(floating=True, max_machines=5, deactivation_allowance=2)), "a", "b", "c", "d")
    license.deactivate(NOW, self_service=True, fingerprint="a")
    license.deactivate(NOW + DAY, self_service=True, fingerprint="b")
    with pytest.raises(errors.DeactivationLimitExceeded) as refused:
        license.deactivate(NOW + 2 * DAY, self_service=True, fingerprint="c")
    assert refused.value.retry_after_seconds == int((28 * DAY).total_seconds()) + 1
    license.deactivate(NOW + 2 * DAY, self_service=False, fingerprint="c")  # the admin's reset is not counted
    license.deactivate(NOW + 30 * DAY, self_service=True, fingerprint="d")  # the first one has left the window
    assert license.active_machines == []
    deactivated = [e for e in license.pull_events() if isinstance(e, events.MachineDeactivated)]
    assert [e.self_service for e in deactivated] == [True, True, False, True]


def test_an_admin_reset_frees_every_seat() -> None:
    license = activated(issued(policy(floating=True, max_machines=3, deactivation_allowance=0)), "a", "b", "c")
    with pytest.raises(errors.DeactivationLimitExceeded):
        license.deactivate(NOW, self_service=True, fingerprint="a")
    assert len(license.reset_machines(NOW)) == 3 and license.active_machines == []
    assert activated(license, "new").active_machines[0].fingerprint == "new"


def test_deactivating_an_unknown_machine_is_not_found() -> None:
    with pytest.raises(errors.MachineNotFound):
        issued().deactivate(NOW, self_service=True, machine_id=uuid4())


def test_silent_machines_are_culled_after_interval_plus_grace_and_revive_within_the_window() -> None:
    terms = policy(floating=True, max_machines=2, heartbeat_required=True, heartbeat_interval=10 * MINUTE)
    license = activated(issued(terms), "pinging", "silent")
    license.heartbeat("pinging", NOW + 5 * MINUTE)
    machine = license.machine_for("pinging")
    assert machine is not None and machine.heartbeat_status(NOW + 15 * MINUTE, terms.heartbeat_interval) == "ALIVE"
    assert license.cull_dead_machines(NOW + 12 * MINUTE, grace=2 * MINUTE) == []  # 12 min is not past 10 + 2
    culled = license.cull_dead_machines(NOW + 12 * MINUTE + timedelta(seconds=1), grace=2 * MINUTE)
    assert [m.fingerprint for m in culled] == ["silent"] and culled[0].status is MachineStatus.DEAD
    assert machine.heartbeat_status(NOW + 16 * MINUTE, terms.heartbeat_interval) is HeartbeatStatus.DEAD
    activated(license, "newcomer", now=NOW + 13 * MINUTE)  # the freed seat is taken
    with pytest.raises(errors.MachineLimitExceeded):
        license.heartbeat("silent", NOW + 14 * MINUTE)  # revivable, but no seat is free
    license.deactivate(NOW + 14 * MINUTE, self_service=False, fingerprint="newcomer")
    assert license.heartbeat("silent", NOW + 14 * MINUTE) is culled[0] and culled[0].is_active
    license.cull_dead_machines(NOW + DAY, grace=2 * MINUTE)
    with pytest.raises(errors.MachineNotFound):
        license.heartbeat("silent", NOW + 3 * DAY)  # past the revive window: activate again
    kinds = [type(e) for e in license.pull_events()]
    assert kinds.count(events.MachineHeartbeatDead) == 3 and events.MachineRevived in kinds


def test_licenses_without_required_heartbeats_are_never_culled() -> None:
    assert activated(issued(), "fp").cull_dead_machines(NOW + 365 * DAY, grace=timedelta(0)) == []


def test_status_changes_are_idempotent_and_revocation_is_final() -> None:
    license = issued()
    license.suspend("unpaid", NOW)
    license.suspend("again", NOW)
    assert license.status is LicenseStatus.SUSPENDED and license.suspend_reason == "unpaid"
    license.reinstate(NOW)
    license.reinstate(NOW)
    license.revoke("refunded", NOW)
    license.revoke("twice", NOW + DAY)
    assert (license.status, license.revoked_at, license.revoke_reason) == (LicenseStatus.REVOKED, NOW, "refunded")
    for refused in (lambda: license.reinstate(NOW), lambda: license.suspend("x", NOW), lambda: license.renew(NOW)):
        with pytest.raises(errors.LicenseRevoked):
            refused()
    kinds = [type(e) for e in license.pull_events()]
    assert kinds == [events.LicenseSuspended, events.LicenseReinstated, events.LicenseRevoked]


def test_renewal_extends_the_term_and_a_perpetual_or_unstarted_term_is_not_renewable() -> None:
    license = issued(policy(duration=30 * DAY, renewal_basis=RenewalBasis.FROM_NOW_IF_EXPIRED))
    assert license.renew(NOW + 40 * DAY) == NOW + 70 * DAY
    (event,) = license.pull_events()
    assert isinstance(event, events.LicenseRenewed) and event.previous_expires_at == NOW + 30 * DAY
    for unrenewable in (issued(), issued(policy(duration=DAY, clock_start=ClockStart.FIRST_ACTIVATION))):
        with pytest.raises(errors.LicenseNotRenewable):
            unrenewable.renew(NOW)


def test_check_in_and_uses() -> None:
    license = issued(policy(check_in_interval=DAY, max_uses=3))
    assert not license.is_overdue(NOW + DAY) and license.is_overdue(NOW + DAY + MINUTE)
    license.check_in(NOW + DAY + MINUTE)
    assert not license.is_overdue(NOW + 2 * DAY)
    assert license.use(NOW, 2) == 2
    with pytest.raises(errors.UsageLimitExceeded):
        license.use(NOW, 2)
    license.override_limits(LimitOverrides(max_uses=10), NOW)
    assert license.use(NOW, 2) == 4


def test_an_expired_revoke_access_license_refuses_everything() -> None:
    license = activated(issued(policy(duration=DAY, expiration_strategy=ExpirationStrategy.REVOKE_ACCESS)), "fp")
    later = NOW + DAY
    for refused in (
        lambda: license.heartbeat("fp", later),
        lambda: license.check_in(later),
        lambda: license.deactivate(later, self_service=True, fingerprint="fp"),
    ):
        with pytest.raises(errors.LicenseExpired):
            refused()
