"""How Stripe counts our amounts: its integer ``amount`` per currency, where it differs from ISO.

Stripe's API takes an integer amount in "the currency's smallest unit", and for most currencies
that is the ISO 4217 minor unit, so the amount passes through unchanged (USD 12.34 -> 1234,
JPY 500 -> 500; Stripe's zero-decimal list, BIF CLP DJF GNF JPY KMF KRW PYG RWF UGX VND VUV XAF
XOF XPF, matches ISO's exponent 0 for every one of those in our table). The exceptions, as data
in ``STRIPE_SPECIAL_CASES``:

- ISK: ISO exponent 0, but Stripe keeps it two-decimal for backwards compatibility, and since
  14 April 2023 it refuses amounts not divisible by 100 (whole kronur only). ISK 5 -> 500.
- HUF and TWD: two-decimal for charges, but zero-decimal for payouts: a manual payout amount
  must be divisible by 100 (whole forints / dollars).
- BHD, JOD, KWD, OMR, TND (three-decimal): Stripe's payment partners need the last digit to be
  0, so charge and refund amounts must be multiples of 10 (KWD 5.120 -> 5120; 5.124 is refused).
  We apply the same step to payouts (an assumption, documented by Stripe only for charges).

An amount Stripe cannot take is refused with ``AmountNotRepresentable`` rather than rounded,
because rounding here would silently change a price the buyer agreed to: price such currencies
in the steps above. An incoming Stripe amount must convert exactly to our minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from devforge.domain.billing.currency import Currency, power_of_ten
from devforge.domain.billing.errors import AmountNotRepresentable
from devforge.domain.billing.money import Money


@dataclass(frozen=True, slots=True)
class StripeCurrencyRule:
    """``exponent``: the exponent of Stripe's integer amount; ``charge_step`` and ``payout_step``:
    Stripe amounts for charges/refunds and for payouts must be multiples of these."""

    exponent: int
    charge_step: int = 1
    payout_step: int = 1


_THREE_DECIMAL: Final = StripeCurrencyRule(exponent=3, charge_step=10, payout_step=10)

STRIPE_SPECIAL_CASES: Final[dict[str, StripeCurrencyRule]] = {
    "ISK": StripeCurrencyRule(exponent=2, charge_step=100, payout_step=100),
    "HUF": StripeCurrencyRule(exponent=2, charge_step=1, payout_step=100),
    "TWD": StripeCurrencyRule(exponent=2, charge_step=1, payout_step=100),
    "BHD": _THREE_DECIMAL,
    "JOD": _THREE_DECIMAL,
    "KWD": _THREE_DECIMAL,
    "OMR": _THREE_DECIMAL,
    "TND": _THREE_DECIMAL,
}


def stripe_rule(currency: Currency) -> StripeCurrencyRule:
    return STRIPE_SPECIAL_CASES.get(currency.code, StripeCurrencyRule(exponent=currency.exponent))


def _to_stripe(money: Money, step: int, purpose: str) -> int:
    rule = stripe_rule(money.currency)
    shift = rule.exponent - money.currency.exponent
    if shift >= 0:
        amount = money.amount_minor * power_of_ten(shift)
    else:
        amount, rest = divmod(money.amount_minor, power_of_ten(-shift))
        if rest:
            raise AmountNotRepresentable(f"Stripe cannot {purpose} {money}: too fine a unit.", field="amount")
    if amount % step:
        raise AmountNotRepresentable(
            f"Stripe {purpose}s {money.currency} only in steps of {step} of its units; {money} is not one.",
            field="amount",
        )
    return amount


def stripe_amount(money: Money) -> int:
    """The ``amount`` to send Stripe for a charge, price or refund of ``money``."""
    return _to_stripe(money, stripe_rule(money.currency).charge_step, "charge")


def stripe_payout_amount(money: Money) -> int:
    """The ``amount`` to send Stripe for a manual payout of ``money``."""
    return _to_stripe(money, stripe_rule(money.currency).payout_step, "payout")


def from_stripe_amount(amount: int, currency: Currency | str) -> Money:
    """Our ``Money`` for an ``amount`` Stripe reports (in a charge, refund or webhook)."""
    if type(amount) is not int:
        raise TypeError(f"A Stripe amount is an int, not {type(amount).__name__}.")
    unit = currency if isinstance(currency, Currency) else Currency.of(currency)
    shift = stripe_rule(unit).exponent - unit.exponent
    if shift <= 0:
        return Money(amount * power_of_ten(-shift), unit)
    minor, rest = divmod(amount, power_of_ten(shift))
    if rest:
        raise AmountNotRepresentable(f"Stripe amount {amount} is not a whole number of {unit} minor units.")
    return Money(minor, unit)
