from fractions import Fraction

import pytest
from hypothesis import given

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import TaxAmountsInconsistent
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount, tax_from_gross, tax_from_net
from tests.unit.billing.strategies import money, rates

EUR, USD = Currency("EUR"), Currency("USD")


def eur(net: int, tax: int, gross: int) -> TaxedAmount:
    return TaxedAmount(Money(net, EUR), Money(tax, EUR), Money(gross, EUR))


def test_tax_exclusive_price_adds_the_tax_on_top() -> None:
    assert tax_from_net(Money(10000, EUR), 1900) == eur(10000, 1900, 11900)
    assert tax_from_net(Money(999, EUR), 1900) == eur(999, 190, 1189)  # 189.81 -> 190
    assert tax_from_net(Money(1999, USD), Rate.from_percent("8.875")).tax == Money(177, USD)


def test_tax_inclusive_price_carves_the_tax_out() -> None:
    assert tax_from_gross(Money(11900, EUR), 1900) == eur(10000, 1900, 11900)
    assert tax_from_gross(Money(999, EUR), 1900) == eur(839, 160, 999)  # 159.50... -> 160
    assert tax_from_gross(Money(100, EUR), 0) == eur(100, 0, 100)


def test_a_triple_whose_gross_is_not_net_plus_tax_cannot_exist() -> None:
    with pytest.raises(TaxAmountsInconsistent):
        eur(100, 19, 120)
    with pytest.raises(TaxAmountsInconsistent):
        TaxedAmount(Money(100, EUR), Money(19, USD), Money(119, EUR))


@given(money(), rates)
def test_from_net_gross_is_net_plus_tax_and_tax_is_rounded_once(net: Money, rate: Rate) -> None:
    taxed = tax_from_net(net, rate)
    assert taxed.net == net
    assert taxed.gross == taxed.net + taxed.tax
    assert abs(taxed.tax.amount_minor - net.amount_minor * rate.value) <= Fraction(1, 2)


@given(money(), rates)
def test_from_gross_the_price_is_kept_and_split_exactly(gross: Money, rate: Rate) -> None:
    taxed = tax_from_gross(gross, rate)
    assert taxed.gross == gross
    assert taxed.gross == taxed.net + taxed.tax
    exact_tax = gross.amount_minor * rate.value / (1 + rate.value)
    assert abs(taxed.tax.amount_minor - exact_tax) <= Fraction(1, 2)


@given(money(non_negative=True), rates)
def test_carving_tax_out_of_a_computed_gross_finds_the_same_tax(net: Money, rate: Rate) -> None:
    forward = tax_from_net(net, rate)
    assert abs(tax_from_gross(forward.gross, rate).tax.amount_minor - forward.tax.amount_minor) <= 1
