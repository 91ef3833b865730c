from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.allocation import allocate, split_revenue
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import AllocationWeightsInvalid, RevenueShareInvalid
from devforge.domain.billing.money import Money
from tests.unit.billing.strategies import money, weights

USD = Currency("USD")


def cents(*values: int) -> list[Money]:
    return [Money(value, USD) for value in values]


def test_a_remainder_goes_to_the_largest_remainders_then_the_earliest_position() -> None:
    assert allocate(Money(100, USD), [1, 1, 1]) == cents(34, 33, 33)
    assert allocate(Money(-100, USD), [1, 1, 1]) == cents(-34, -33, -33)
    assert allocate(Money(5, USD), [3, 7]) == cents(2, 3)  # 1.5 and 3.5: tie, earlier first
    assert allocate(Money(10, USD), [1, 0, 2]) == cents(3, 0, 7)  # 3.33 and 6.67: 6.67 takes the unit
    assert allocate(Money(0, USD), [0, 0]) == cents(0, 0)


def test_weights_are_non_negative_ints_and_not_all_zero_for_a_non_zero_total() -> None:
    with pytest.raises(AllocationWeightsInvalid):
        allocate(Money(1, USD), [])
    with pytest.raises(AllocationWeightsInvalid):
        allocate(Money(1, USD), [1, -1])
    with pytest.raises(AllocationWeightsInvalid):
        allocate(Money(1, USD), [0, 0])
    for bad in (0.5, Decimal(1), Fraction(1), True):
        with pytest.raises(TypeError):
            allocate(Money(1, USD), [1, bad])  # type: ignore[list-item]


@given(money(), weights.filter(lambda ws: sum(ws) > 0))
def test_parts_sum_to_the_total_and_stay_within_one_unit_of_their_exact_share(total: Money, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert all(part.currency == total.currency for part in parts)
    assert Money.total(parts, total.currency) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total.amount_minor * weight, sum(weights))
        assert abs(part.amount_minor - exact) < 1
        if weight == 0:
            assert part.is_zero


@given(money(), weights.filter(lambda ws: sum(ws) > 0))
def test_allocation_is_deterministic_and_mirrors_for_negative_totals(total: Money, weights: list[int]) -> None:
    assert allocate(total, weights) == allocate(total, list(weights))
    assert allocate(-total, weights) == [-part for part in allocate(total, weights)]


def test_the_marketplace_split_is_70_30_by_default() -> None:
    assert split_revenue(Money(1000, USD)) == (Money(700, USD), Money(300, USD))
    developer, platform = split_revenue(Money(1, USD))
    assert (developer, platform) == (Money(1, USD), Money(0, USD))  # 0.7 beats 0.3
    assert split_revenue(Money(1, USD), 5000).developer == Money(1, USD)  # a tie goes to the developer


@given(money(), st.integers(min_value=0, max_value=10_000))
def test_the_split_always_sums_to_the_total(total: Money, share: int) -> None:
    split = split_revenue(total, share)
    assert split.developer + split.platform == total
    assert abs(split.developer.amount_minor - Fraction(total.amount_minor * share, 10_000)) < 1


@pytest.mark.parametrize("share", [-1, 10_001])
def test_a_share_outside_0_to_100_percent_is_refused(share: int) -> None:
    with pytest.raises(RevenueShareInvalid):
        split_revenue(Money(100, USD), share)
