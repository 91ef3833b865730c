from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RateInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate, as_rate
from devforge.domain.billing.rounding import ROUNDING, apply_rate, round_to_minor
from tests.unit.billing.strategies import money, rates

USD = Currency("USD")


def test_the_one_rule_is_half_up_with_ties_away_from_zero() -> None:
    assert ROUNDING == ROUND_HALF_UP
    assert [round_to_minor(Fraction(n, 2)) for n in (1, 3, 5, -1, -3)] == [1, 2, 3, -1, -2]
    assert round_to_minor(Fraction(249, 100)) == 2
    assert round_to_minor(Fraction(-251, 100)) == -3
    assert round_to_minor(Decimal("0.4999999999999999999999999999")) == 0
    assert round_to_minor(7) == 7


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9))
def test_rounding_agrees_with_decimal_quantize_wherever_that_is_exact(value: Decimal) -> None:
    assert round_to_minor(value) == int(value.quantize(Decimal(1), rounding=ROUNDING))


@given(st.fractions(max_denominator=10**6))
def test_rounding_is_within_half_a_unit_and_symmetric(value: Fraction) -> None:
    rounded = round_to_minor(value)
    assert abs(rounded - value) <= Fraction(1, 2)
    assert round_to_minor(-value) == -rounded


@pytest.mark.parametrize("value", [0.5, True, "1"])
def test_rounding_takes_exact_numbers_only(value: object) -> None:
    with pytest.raises(TypeError):
        round_to_minor(value)  # type: ignore[arg-type]


def test_rates_are_exact_whatever_their_spelling() -> None:
    assert Rate.from_basis_points(1900) == Rate.from_percent(19) == Rate.from_percent("19.0") == Rate(Fraction(19, 100))
    assert Rate.from_percent(Decimal("8.875")).value == Fraction(8875, 100_000)
    assert Rate.from_basis_points("887.5") == Rate.from_percent("8.875")
    assert as_rate(700) == Rate.from_percent(7)
    assert str(Rate.from_percent("8.875")) == "8.875 %"
    assert str(Rate.from_basis_points(1900)) == "19 %"


@pytest.mark.parametrize("bad", [0.19, True, None])
def test_rates_refuse_inexact_inputs(bad: object) -> None:
    with pytest.raises(TypeError):
        Rate.from_basis_points(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        as_rate(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", Decimal("-1"), -5])
def test_rates_refuse_what_is_not_a_non_negative_number(bad: object) -> None:
    with pytest.raises(RateInvalid) as refused:
        Rate.from_percent(bad)  # type: ignore[arg-type]
    assert refused.value.field == "rate"


def test_apply_rate_rounds_once() -> None:
    assert apply_rate(Money(1000, USD), Rate.from_percent(19)) == Money(190, USD)
    assert apply_rate(Money(5, USD), Rate.from_percent(10)) == Money(1, USD)  # 0.5 cent rounds up
    assert apply_rate(Money(-5, USD), Rate.from_percent(10)) == Money(-1, USD)
    assert apply_rate(Money(1999, USD), Rate.from_percent("8.875")) == Money(177, USD)  # 177.41...


@given(money(), rates)
def test_apply_rate_is_within_half_a_minor_unit_of_the_exact_product(amount: Money, rate: Rate) -> None:
    applied = apply_rate(amount, rate)
    assert applied.currency == amount.currency
    assert abs(applied.amount_minor - amount.amount_minor * rate.value) <= Fraction(1, 2)
    assert apply_rate(-amount, rate) == -applied
