"""Validation answers in the documented order: one case reaching each code, and any state at all
agreeing with the independent reference (so with several failures, the first one wins)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.machine import Machine, MachineStatus
from devforge.domain.licensing.policy import ExpirationStrategy, LimitOverrides, Overage
from devforge.domain.licensing.validation import ValidationCode, ValidationRequest, validate
from tests.unit.licensing.builders import NOW, PRODUCT_ID, activated, issued, policy
from tests.unit.licensing.reference import reference_answer, reference_findings

DAY, MINUTE = timedelta(days=1), timedelta(minutes=1)
FLOATING = {"floating": True, "max_machines": 2}
HEARTBEAT = {"heartbeat_required": True, "heartbeat_interval": 10 * MINUTE}


def expired(strategy: ExpirationStrategy) -> License:
    return activated(issued(policy(duration=DAY, expiration_strategy=strategy)), "fp")


def over_limit(overage: Overage) -> License:
    license = activated(issued(policy(floating=True, max_machines=4, overage=overage)), "a", "b", "c", "d")
    license.override_limits(LimitOverrides(max_machines=3 if overage is Overage.ALLOW_1_5X else 1), NOW)
    return license


def suspended() -> License:
    license = activated(issued(), "fp")
    license.suspend("unpaid", NOW)
    return license


def revoked() -> License:
    license = activated(issued(), "fp")
    license.revoke("refunded", NOW)
    return license


def pinged(minutes_ago: int) -> License:
    license = activated(issued(policy(**HEARTBEAT)), "fp")
    license.heartbeat("fp", NOW + DAY - minutes_ago * MINUTE)
    return license


EVERY_CODE: list[tuple[Callable[[], License | None], dict[str, Any], ValidationCode, bool]] = [
    (lambda: None, {}, ValidationCode.NOT_FOUND, False),
    (revoked, {}, ValidationCode.REVOKED, False),
    (suspended, {}, ValidationCode.SUSPENDED, False),
    (lambda: expired(ExpirationStrategy.REVOKE_ACCESS), {}, ValidationCode.EXPIRED, False),
    (lambda: issued(policy(check_in_interval=timedelta(hours=1))), {}, ValidationCode.OVERDUE, False),
    (issued, {"product_id": uuid4()}, ValidationCode.PRODUCT_SCOPE_MISMATCH, False),
    (lambda: issued(policy(require_product_scope=True)), {}, ValidationCode.PRODUCT_SCOPE_MISMATCH, False),
    (
        lambda: issued(policy(entitlements={"ai"})),
        {"entitlements": {"sync"}},
        ValidationCode.ENTITLEMENTS_MISSING,
        False,
    ),
    (lambda: issued(policy(require_entitlements_scope=True)), {}, ValidationCode.ENTITLEMENTS_MISSING, False),
    (lambda: issued(policy(require_fingerprint_scope=True)), {}, ValidationCode.FINGERPRINT_SCOPE_REQUIRED, False),
    (issued, {"fingerprint": "fp"}, ValidationCode.NO_MACHINE, False),
    (lambda: issued(policy(strict=True)), {}, ValidationCode.NO_MACHINE, False),
    (lambda: activated(issued(), "fp"), {"fingerprint": "other"}, ValidationCode.FINGERPRINT_SCOPE_MISMATCH, False),
    (
        lambda: activated(issued(policy(**HEARTBEAT)), "fp"),
        {"fingerprint": "fp"},
        ValidationCode.HEARTBEAT_NOT_STARTED,
        False,
    ),
    (lambda: pinged(11), {"fingerprint": "fp"}, ValidationCode.HEARTBEAT_DEAD, False),
    (lambda: over_limit(Overage.NONE), {}, ValidationCode.TOO_MANY_MACHINES, False),
    (lambda: over_limit(Overage.ALLOW_1_5X), {}, ValidationCode.TOO_MANY_MACHINES, True),
    (lambda: expired(ExpirationStrategy.RESTRICT_ACCESS), {}, ValidationCode.EXPIRED, False),
    (lambda: expired(ExpirationStrategy.MAINTAIN_ACCESS), {}, ValidationCode.EXPIRED, True),
    (lambda: expired(ExpirationStrategy.ALLOW_ACCESS), {}, ValidationCode.EXPIRED, True),
    (lambda: pinged(9), {"fingerprint": "fp", "product_id": PRODUCT_ID}, ValidationCode.VALID, True),
    (lambda: issued(policy(entitlements={"ai"})), {"entitlements": {" AI "}}, ValidationCode.VALID, True),
]


@pytest.mark.parametrize(("build", "scope", "code", "valid"), EVERY_CODE)
def test_each_code_is_reached_with_its_validity(
    build: Callable[[], License | None], scope: dict[str, Any], code: ValidationCode, valid: bool
) -> None:
    license = build()
    if license is not None:
        license.pull_events()
    result = validate(license, ValidationRequest(**scope), NOW + DAY)
    assert (result.code, result.valid) == (code, valid) and result.detail
    assert reference_answer(license, ValidationRequest(**scope), NOW + DAY) == (code, valid)
    if license is not None:  # validation only reads
        before = (license.status, license.expires_at, [m.status for m in license.machines])
        validate(license, ValidationRequest(**scope), NOW + DAY)
        assert before == (license.status, license.expires_at, [m.status for m in license.machines])
        assert license.pull_events() == []


def test_a_warning_never_hides_a_later_failure() -> None:
    """Within the overage but expired under RESTRICT_ACCESS: the answer is the failure."""
    license = over_limit(Overage.ALLOW_1_5X)
    license.expires_at = NOW
    result = validate(license, ValidationRequest(), NOW + DAY)
    assert (result.code, result.valid) == (ValidationCode.EXPIRED, False)


FINGERPRINTS = ["a", "b", "c"]


@st.composite
def license_states(draw: st.DrawFn) -> License:
    """Any license state at all, assembled field by field, so combinations of failures abound."""
    floating = draw(st.booleans())
    terms = policy(
        floating=floating,
        max_machines=draw(st.integers(1, 3)) if floating else 1,
        overage=draw(st.sampled_from(Overage)),
        strict=draw(st.booleans()),
        duration=DAY,
        expiration_strategy=draw(st.sampled_from(ExpirationStrategy)),
        require_product_scope=draw(st.booleans()),
        require_fingerprint_scope=draw(st.booleans()),
        require_entitlements_scope=draw(st.booleans()),
        heartbeat_required=draw(st.booleans()),
        heartbeat_interval=10 * MINUTE,
        check_in_interval=draw(st.sampled_from([None, DAY])),
        entitlements=draw(st.sets(st.sampled_from(["ai", "sync"]))),
    )
    license = issued(terms, entitlements=draw(st.frozensets(st.just("themes"))))
    license.status = draw(st.sampled_from(LicenseStatus))
    license.expires_at = draw(st.sampled_from([None, NOW + 12 * DAY, NOW + 10 * DAY]))
    license.last_check_in_at = draw(st.sampled_from([None, NOW + 9 * DAY]))
    if floating and draw(st.booleans()):
        license.terms = license.terms.with_overrides(LimitOverrides(max_machines=1))
    for fingerprint in draw(st.lists(st.sampled_from(FINGERPRINTS), unique=True)):
        beat = draw(st.sampled_from([None, NOW + 10 * DAY - 5 * MINUTE, NOW + 10 * DAY - 20 * MINUTE]))
        status = draw(st.sampled_from(MachineStatus))
        license.machines.append(Machine(uuid4(), license.id, fingerprint, NOW, status=status, last_heartbeat_at=beat))
    return license


requests = st.builds(
    ValidationRequest,
    product_id=st.sampled_from([None, PRODUCT_ID, uuid4()]),
    fingerprint=st.sampled_from([None, *FINGERPRINTS]),
    entitlements=st.sets(st.sampled_from(["ai", "sync", "themes"]), max_size=2).map(frozenset),
)


@given(license_states(), requests)
def test_any_state_answers_the_first_failure_in_the_documented_order(
    license: License, request: ValidationRequest
) -> None:
    now = NOW + 10 * DAY
    failures = [code for code, valid in reference_findings(license, request, now) if not valid]
    event(f"{min(len(failures), 3)} failures apply")
    result = validate(license, request, now)
    assert (result.code, result.valid) == reference_answer(license, request, now)
    if failures:
        assert result.code == failures[0] and not result.valid
