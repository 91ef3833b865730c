import pytest
from hypothesis import given

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import AmountNotRepresentable
from devforge.domain.billing.money import Money
from devforge.domain.billing.stripe_amounts import (
    STRIPE_SPECIAL_CASES,
    from_stripe_amount,
    stripe_amount,
    stripe_payout_amount,
    stripe_rule,
)
from tests.unit.billing.strategies import amounts, currencies


@pytest.mark.parametrize(
    ("code", "minor", "sent"),
    [
        ("USD", 1234, 1234),  # 12.34 USD: cents, as ISO
        ("JPY", 500, 500),  # zero-decimal, as ISO
        ("UGX", 5000, 5000),  # zero-decimal in Stripe's list, as ISO
        ("ISK", 5, 500),  # ISO zero-decimal, Stripe two-decimal: 5 ISK -> 500
        ("HUF", 1045, 1045),  # charges keep two decimals
        ("KWD", 5120, 5120),  # three-decimal, last digit 0
    ],
)
def test_charge_amounts_in_stripe_units(code: str, minor: int, sent: int) -> None:
    assert stripe_amount(Money.of(minor, code)) == sent
    assert from_stripe_amount(sent, code.lower()) == Money.of(minor, code)


@pytest.mark.parametrize("code", ["BHD", "JOD", "KWD", "OMR", "TND"])
def test_three_decimal_charges_must_end_in_zero_and_are_never_rounded(code: str) -> None:
    with pytest.raises(AmountNotRepresentable) as refused:
        stripe_amount(Money.of(5124, code))  # 5.124: Stripe would need 5.120 or 5.130
    assert refused.value.field == "amount"


@pytest.mark.parametrize("code", ["HUF", "TWD"])
def test_huf_and_twd_payouts_are_whole_units_only(code: str) -> None:
    assert stripe_payout_amount(Money.of(1000, code)) == 1000
    with pytest.raises(AmountNotRepresentable):
        stripe_payout_amount(Money.of(1045, code))


def test_an_isk_amount_from_stripe_must_be_whole_kronur() -> None:
    with pytest.raises(AmountNotRepresentable):
        from_stripe_amount(4010, "ISK")
    with pytest.raises(TypeError):
        from_stripe_amount(40.1, "ISK")  # type: ignore[arg-type]


def test_special_cases_differ_from_iso_only_where_documented() -> None:
    differing = {code for code, rule in STRIPE_SPECIAL_CASES.items() if rule.exponent != Currency(code).exponent}
    assert differing == {"ISK"}


@given(currencies, amounts)
def test_every_amount_stripe_accepts_comes_back_unchanged(currency: Currency, amount: int) -> None:
    money = Money(amount * stripe_rule(currency).charge_step, currency)
    assert from_stripe_amount(stripe_amount(money), currency) == money
