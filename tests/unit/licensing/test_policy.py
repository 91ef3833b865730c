"""Policy terms: overage arithmetic, the limits a policy holds itself to, the term and its renewal."""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.licensing.deactivation_allowance import WINDOW, wait_before_next
from devforge.domain.licensing.errors import EntitlementCodeInvalid, PolicyInvalid
from devforge.domain.licensing.policy import LimitOverrides, Overage, RenewalBasis
from devforge.domain.licensing.terms import LicenseTerms
from tests.unit.licensing.builders import NOW, policy

FACTORS = {
    Overage.NONE: Fraction(1),
    Overage.ALLOW_1_25X: Fraction("1.25"),
    Overage.ALLOW_1_5X: Fraction("1.5"),
    Overage.ALLOW_2X: Fraction(2),
}


@given(st.sampled_from(Overage), st.integers(1, 10**9))
def test_the_overage_allowance_is_the_limit_times_the_factor_rounded_down(overage: Overage, limit: int) -> None:
    assert overage.allowance(limit) == math.floor(FACTORS[overage] * limit) >= limit


@pytest.mark.parametrize(
    ("overage", "limit", "allowed"),
    [
        (Overage.NONE, 3, 3),
        (Overage.ALLOW_1_25X, 3, 3),
        (Overage.ALLOW_1_25X, 4, 5),
        (Overage.ALLOW_1_5X, 3, 4),
        (Overage.ALLOW_2X, 1, 2),
        (Overage.ALLOW_2X, 5, 10),
    ],
)
def test_overage_examples(overage: Overage, limit: int, allowed: int) -> None:
    assert overage.allowance(limit) == allowed
    assert policy(floating=True, max_machines=limit, overage=overage).machine_allowance(limit) == allowed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": " "}, "name"),
        ({"duration": timedelta(0)}, "duration"),
        ({"max_machines": 2}, "max_machines"),  # node-locked means one machine
        ({"floating": True, "max_machines": 0}, "max_machines"),
        ({"max_uses": 0}, "max_uses"),
        ({"deactivation_allowance": -1}, "deactivation_allowance"),
        ({"heartbeat_interval": timedelta(seconds=59)}, "heartbeat_interval"),
        ({"check_in_interval": timedelta(seconds=30)}, "check_in_interval"),
    ],
)
def test_a_policy_refuses_impossible_terms(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyInvalid) as refused:
        policy(**overrides)
    assert refused.value.field == field


def test_a_policy_accepts_a_60_second_heartbeat_unlimited_floating_seats_and_normalises_entitlements() -> None:
    terms = policy(heartbeat_interval=timedelta(seconds=60), floating=True, max_machines=None, entitlements={" AI "})
    assert terms.machine_allowance(None) is None and terms.entitlements == {"ai"}
    with pytest.raises(EntitlementCodeInvalid):
        policy(entitlements={"no spaces"})


def test_overrides_replace_the_policys_limits_but_a_node_locked_license_keeps_one_machine() -> None:
    floating = LicenseTerms(policy=policy(floating=True, max_machines=3, max_uses=10, deactivation_allowance=2))
    more = floating.with_overrides(LimitOverrides(max_machines=5, deactivation_allowance=0))
    assert (more.max_machines, more.max_uses, more.deactivation_allowance) == (5, 10, 0)
    with pytest.raises(PolicyInvalid):
        LicenseTerms(policy=policy(), overrides=LimitOverrides(max_machines=2))


TERM = timedelta(days=30)


@pytest.mark.parametrize(
    ("basis", "expires_in", "renewed_in"),
    [
        (RenewalBasis.FROM_EXPIRY, timedelta(days=5), timedelta(days=35)),
        (RenewalBasis.FROM_EXPIRY, -timedelta(days=5), timedelta(days=25)),
        (RenewalBasis.FROM_NOW, timedelta(days=5), timedelta(days=30)),
        (RenewalBasis.FROM_NOW, -timedelta(days=5), timedelta(days=30)),
        (RenewalBasis.FROM_NOW_IF_EXPIRED, timedelta(days=5), timedelta(days=35)),
        (RenewalBasis.FROM_NOW_IF_EXPIRED, -timedelta(days=5), timedelta(days=30)),
        (RenewalBasis.FROM_NOW_IF_EXPIRED, timedelta(0), timedelta(days=30)),  # expiring now is expired
    ],
)
def test_renewal_adds_a_term_on_its_basis(basis: RenewalBasis, expires_in: timedelta, renewed_in: timedelta) -> None:
    assert basis.renewed(expires_at=NOW + expires_in, duration=TERM, now=NOW) == NOW + renewed_in


@given(st.lists(st.integers(0, 90 * 24), max_size=12), st.integers(0, 5))
def test_the_deactivation_allowance_counts_only_the_rolling_30_days(hours_ago: list[int], allowance: int) -> None:
    history = [NOW - timedelta(hours=h) for h in hours_ago]
    recent = [at for at in history if NOW - at < WINDOW]
    wait = wait_before_next(history, allowance, NOW)
    assert (wait is None) == (len(recent) < allowance)
    if wait is not None and allowance > 0:
        assert wait_before_next(history, allowance, NOW + wait) is None  # the wait is exact:
        assert wait_before_next(history, allowance, NOW + wait - timedelta(seconds=1)) is not None
    assert wait_before_next(history, None, NOW) is None
