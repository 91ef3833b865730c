from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import AmountMalformed, AmountNotRepresentable, CurrencyMismatch
from devforge.domain.billing.money import Money
from tests.unit.billing.strategies import amounts, currencies, money

USD, EUR, JPY, KWD = (Currency(code) for code in ("USD", "EUR", "JPY", "KWD"))


@pytest.mark.parametrize("amount", [12.34, 1.0, Decimal("12.34"), Fraction(1, 2), True, "1234", None])
def test_money_refuses_anything_but_an_int_of_minor_units(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, USD)  # type: ignore[arg-type]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_money_refuses_every_float(amount: float) -> None:
    with pytest.raises(TypeError):
        Money(amount, USD)  # type: ignore[arg-type]


def test_parse_takes_text_only() -> None:
    with pytest.raises(TypeError):
        Money.parse(12.34, "USD")  # type: ignore[arg-type]


def test_money_refuses_a_currency_given_as_text() -> None:
    with pytest.raises(TypeError):
        Money(100, "USD")  # type: ignore[arg-type]
    assert Money.of(100, "usd") == Money(100, USD)


def test_money_is_immutable() -> None:
    price = Money(100, USD)
    with pytest.raises(AttributeError):
        price.amount_minor = 5  # type: ignore[misc]


def test_arithmetic_within_one_currency() -> None:
    assert Money(1050, USD) + Money(25, USD) == Money(1075, USD)
    assert Money(1050, USD) - Money(2000, USD) == Money(-950, USD)
    assert -Money(5, USD) == Money(-5, USD)
    assert Money(333, USD) * 3 == 3 * Money(333, USD) == Money(999, USD)
    assert Money.total([Money(1, USD), Money(2, USD)], USD) == Money(3, USD)
    assert Money.total([], "EUR") == Money.zero(EUR)


@pytest.mark.parametrize("factor", [1.5, Decimal("1.5"), Fraction(3, 2), True])
def test_money_multiplies_by_an_int_only(factor: object) -> None:
    with pytest.raises(TypeError):
        Money(100, USD) * factor  # type: ignore[operator]


def test_mixing_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(1, USD) + Money(1, EUR)
    with pytest.raises(CurrencyMismatch):
        Money(1, USD) - Money(1, EUR)
    with pytest.raises(CurrencyMismatch):
        assert Money(1, USD) < Money(2, EUR)
    with pytest.raises(CurrencyMismatch):
        Money.total([Money(1, USD)], EUR)
    with pytest.raises(TypeError):
        Money(1, USD) + 1  # type: ignore[operator]
    assert Money(1, USD) != Money(1, EUR)


@given(money(USD), money(USD))
def test_comparison_within_a_currency_follows_the_amounts(a: Money, b: Money) -> None:
    assert (a < b) == (a.amount_minor < b.amount_minor)
    assert (a <= b) == (a.amount_minor <= b.amount_minor)
    assert (a > b) == (a.amount_minor > b.amount_minor)
    assert (a >= b) == (a.amount_minor >= b.amount_minor)
    assert (a + b) - b == a


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (1234, USD, "12.34 USD"),
        (123456789, EUR, "1,234,567.89 EUR"),
        (5, USD, "0.05 USD"),
        (-5, USD, "-0.05 USD"),
        (1234, JPY, "1,234 JPY"),
        (-500, KWD, "-0.500 KWD"),
        (0, KWD, "0.000 KWD"),
    ],
)
def test_format_is_locale_free(amount: int, currency: Currency, shown: str) -> None:
    assert Money(amount, currency).format() == str(Money(amount, currency)) == shown


@pytest.mark.parametrize(
    ("text", "code", "minor"),
    [
        ("12.34", "USD", 1234),
        ("12.3", "USD", 1230),
        ("12", "USD", 1200),
        ("-0.05", "USD", -5),
        ("  7.5 ", "EUR", 750),
        ("1,234.56", "USD", 123456),
        ("1234", "JPY", 1234),
        ("5.120", "KWD", 5120),
        ("0.001", "KWD", 1),
    ],
)
def test_parse_reads_major_units(text: str, code: str, minor: int) -> None:
    assert Money.parse(text, code) == Money.of(minor, code)


@pytest.mark.parametrize(("text", "code"), [("12.345", "USD"), ("5.0", "JPY"), ("1.0001", "KWD"), ("0.5", "ISK")])
def test_parse_refuses_more_decimals_than_the_currency_has(text: str, code: str) -> None:
    with pytest.raises(AmountNotRepresentable) as refused:
        Money.parse(text, code)
    assert refused.value.field == "amount"


@pytest.mark.parametrize(
    "text", ["", "abc", "1.2.3", "12.", ".5", "1e3", "+5", "--1", "1,23", "12,34.5", "١٢", "NaN", "Infinity", "9" * 70]
)
def test_parse_refuses_malformed_text(text: str) -> None:
    with pytest.raises(AmountMalformed):
        Money.parse(text, "USD")


@given(currencies, amounts)
def test_text_in_major_units_round_trips_for_every_exponent(currency: Currency, amount: int) -> None:
    original = Money(amount, currency)
    assert Money.parse(original.major_units_text(), currency) == original
    number, code = original.format().split(" ")
    assert Money.parse(number, code) == original
    assert original.to_decimal() == Decimal(original.major_units_text())
