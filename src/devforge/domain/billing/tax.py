"""Tax on one amount: a (net, tax, gross) triple in which gross = net + tax, always.

- From a net (tax-exclusive) price: tax = net x rate, rounded once; gross = net + tax.
- From a gross (tax-inclusive) price: tax = gross x rate / (1 + rate), rounded once;
  net = gross - tax. The tax is the rounded figure (it is what is owed to the authority), and
  the net takes the remainder, so the price the buyer saw is never changed by rounding.

Rates are a ``Rate`` or ``int`` basis points (``1900`` = 19 %). Rounding is ``rounding``'s one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import TaxAmountsInconsistent
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate, as_rate
from devforge.domain.billing.rounding import round_to_minor


@dataclass(frozen=True, slots=True)
class TaxedAmount:
    """Net, tax and gross of a line or a document, in one currency, with gross = net + tax."""

    net: Money
    tax: Money
    gross: Money

    def __post_init__(self) -> None:
        if not self.net.currency == self.tax.currency == self.gross.currency:
            raise TaxAmountsInconsistent("Net, tax and gross must share one currency.", field="currency")
        if self.net.amount_minor + self.tax.amount_minor != self.gross.amount_minor:
            raise TaxAmountsInconsistent(f"Gross {self.gross} is not net {self.net} + tax {self.tax}.", field="gross")

    @classmethod
    def of(cls, net: Money, tax: Money) -> TaxedAmount:
        return cls(net=net, tax=tax, gross=net + tax)

    @classmethod
    def zero(cls, currency: Currency) -> TaxedAmount:
        nothing = Money.zero(currency)
        return cls(net=nothing, tax=nothing, gross=nothing)

    @property
    def currency(self) -> Currency:
        return self.gross.currency

    def __add__(self, other: TaxedAmount) -> TaxedAmount:
        return TaxedAmount.of(self.net + other.net, self.tax + other.tax)

    def __sub__(self, other: TaxedAmount) -> TaxedAmount:
        return TaxedAmount.of(self.net - other.net, self.tax - other.tax)


def tax_from_net(net: Money, rate: Rate | int) -> TaxedAmount:
    """A tax-exclusive price: tax is added on top."""
    tax = round_to_minor(net.amount_minor * as_rate(rate).value)
    return TaxedAmount.of(net, Money(tax, net.currency))


def tax_from_gross(gross: Money, rate: Rate | int) -> TaxedAmount:
    """A tax-inclusive price: the tax is carved out of it."""
    value = as_rate(rate).value
    # rate / (1 + rate), for rate = p/q, is p / (p + q).
    share_of_gross = Fraction(value.numerator, value.numerator + value.denominator)
    tax = Money(round_to_minor(gross.amount_minor * share_of_gross), gross.currency)
    return TaxedAmount(net=gross - tax, tax=tax, gross=gross)
