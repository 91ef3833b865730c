"""The revenue-share rules one at a time: the floored developer share, the remainder to the
platform, proportional give-backs that end exactly at the share, and which commission applies."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RevenueShareInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.revenue_share import CommissionRule, CommissionSchedule, split_line
from devforge.domain.billing.tax import TaxedAmount, tax_from_net

EUR = Currency.of("EUR")
PUBLISHER, OTHER = UUID(int=7), UUID(int=8)
JOINED = datetime(2026, 1, 1, tzinfo=UTC)


def test_seventy_thirty_of_a_price_that_does_not_divide_gives_the_odd_cent_to_the_platform() -> None:
    split = split_line(tax_from_net(Money(999, EUR), 1_900), 3_000)
    assert (split.gross, split.tax) == (Money(1_189, EUR), Money(190, EUR))
    assert (split.developer, split.commission) == (Money(699, EUR), Money(300, EUR))  # 699.3 floored


@given(
    net=st.integers(min_value=0, max_value=10**12),
    tax=st.integers(min_value=0, max_value=10**11),
    commission=st.integers(min_value=0, max_value=10_000),
)
def test_the_share_is_the_exact_share_floored_and_the_parts_make_the_gross(net: int, tax: int, commission: int) -> None:
    split = split_line(TaxedAmount.of(Money(net, EUR), Money(tax, EUR)), commission)
    exact = Fraction(net * (10_000 - commission), 10_000)
    assert split.developer.amount_minor <= exact < split.developer.amount_minor + 1
    assert split.developer + split.commission + split.tax == split.gross


@given(
    net=st.integers(min_value=1, max_value=10**9),
    tax=st.integers(min_value=0, max_value=10**8),
    commission=st.integers(min_value=0, max_value=10_000),
    cuts=st.lists(st.integers(min_value=0, max_value=10**9), max_size=6),
)
def test_any_sequence_of_refunds_gives_back_in_proportion_and_a_full_refund_exactly_the_share(
    net: int, tax: int, commission: int, cuts: list[int]
) -> None:
    split = split_line(TaxedAmount.of(Money(net, EUR), Money(tax, EUR)), commission)
    gross = split.gross.amount_minor
    points = sorted({min(cut, gross) for cut in cuts} | {0, gross})
    steps = [split.given_back_between(Money(a, EUR), Money(b, EUR)) for a, b in itertools.pairwise(points)]
    assert all(not step.is_negative for step in steps)
    assert Money.total(steps, EUR) == split.developer
    for taken in points:
        back = split.given_back(Money(taken, EUR)).amount_minor
        assert back <= Fraction(split.developer.amount_minor * taken, gross) < back + 1


def test_refunds_never_shrink_nor_exceed_the_gross() -> None:
    split = split_line(tax_from_net(Money(1_000, EUR), 0), 3_000)
    with pytest.raises(RevenueShareInvalid):
        split.given_back_between(Money(500, EUR), Money(400, EUR))
    with pytest.raises(RevenueShareInvalid):
        split.given_back(Money(1_001, EUR))


def test_the_most_specific_rule_in_force_at_the_sale_applies() -> None:
    schedule = CommissionSchedule(
        rules=(
            CommissionRule(1_500, first_days=365),
            CommissionRule(2_000, publisher=PUBLISHER),
            CommissionRule(1_000, publisher=PUBLISHER, first_days=90),
            CommissionRule(2_500, starts_at=JOINED + timedelta(days=400), ends_at=JOINED + timedelta(days=430)),
        )
    )
    assert schedule.commission_bp(OTHER, JOINED, JOINED + timedelta(days=10)) == 1_500  # first year
    assert schedule.commission_bp(OTHER, JOINED, JOINED + timedelta(days=366)) == 3_000  # the default
    assert schedule.commission_bp(OTHER, JOINED, JOINED + timedelta(days=410)) == 2_500  # a period
    assert schedule.commission_bp(OTHER, JOINED, JOINED + timedelta(days=430)) == 3_000  # the period ended
    assert schedule.commission_bp(PUBLISHER, JOINED, JOINED + timedelta(days=10)) == 1_000  # theirs, first days
    assert schedule.commission_bp(PUBLISHER, JOINED, JOINED + timedelta(days=200)) == 2_000  # theirs
    assert schedule.commission_bp(PUBLISHER, JOINED, JOINED + timedelta(days=410)) == 2_000  # theirs beats a period


def test_equally_specific_rules_give_the_developer_the_better_rate() -> None:
    schedule = CommissionSchedule(
        rules=(CommissionRule(2_000, publisher=PUBLISHER), CommissionRule(1_800, publisher=PUBLISHER))
    )
    assert schedule.commission_bp(PUBLISHER, JOINED, JOINED) == 1_800


@pytest.mark.parametrize(
    "rule",
    [
        lambda: CommissionRule(10_001),
        lambda: CommissionRule(-1),
        lambda: CommissionRule(3_000, starts_at=JOINED, ends_at=JOINED),
        lambda: CommissionRule(3_000, first_days=0),
        lambda: CommissionSchedule(default_bp=12_000),
    ],
)
def test_impossible_rates_and_periods_are_refused(rule: object) -> None:
    with pytest.raises(RevenueShareInvalid):
        rule()  # type: ignore[operator]
