from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CurrencyMismatch, DocumentLinesMissing, LineAmountNegative
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_document import TaxableLine, TaxedDocument, tax_document, tax_lines
from tests.unit.billing.strategies import currencies, line_amounts, rates

EUR = Currency("EUR")
VAT = Rate.from_percent(19)
REDUCED = Rate.from_percent(7)


def cents(*values: int) -> list[Money]:
    return [Money(value, EUR) for value in values]


def sum_of(amounts: list[TaxedAmount] | tuple[TaxedAmount, ...]) -> TaxedAmount:
    total = TaxedAmount.zero(EUR) if not amounts else TaxedAmount.zero(amounts[0].currency)
    for amount in amounts:
        total = total + amount
    return total


def test_the_document_is_rounded_once_not_line_by_line() -> None:
    # Four lines of 0.02 at 19 %: 0.38 cent each, so rounding each line would owe no tax at all;
    # rounded once, the document owes 1.52 -> 2 cents, and two lines carry one cent each.
    document = tax_lines(cents(2, 2, 2, 2), VAT)
    assert document.total.tax == Money(2, EUR)
    assert [line.tax for line in document.lines] == cents(1, 1, 0, 0)
    assert document.total.gross == Money(10, EUR)


def test_tax_per_rate_on_a_mixed_invoice() -> None:
    lines = [
        TaxableLine(Money(1000, EUR), VAT),
        TaxableLine(Money(500, EUR), REDUCED),
        TaxableLine(Money(999, EUR), VAT),
    ]
    document = tax_document(lines)
    assert [(s.rate, s.amounts.net, s.amounts.tax) for s in document.by_rate] == [
        (VAT, Money(1999, EUR), Money(380, EUR)),  # 379.81
        (REDUCED, Money(500, EUR), Money(35, EUR)),
    ]
    assert document.total == TaxedAmount.of(Money(2499, EUR), Money(415, EUR))
    assert [line.tax for line in document.lines] == cents(190, 35, 190)


def test_tax_inclusive_lines_keep_their_price() -> None:
    document = tax_lines(cents(999, 999), VAT, prices_include_tax=True)
    assert [line.gross for line in document.lines] == cents(999, 999)
    assert document.total.tax == Money(319, EUR)  # 1998 x 19/119 = 319.01
    assert [line.tax for line in document.lines] == cents(160, 159)


def test_a_document_has_lines_in_one_currency_none_negative() -> None:
    with pytest.raises(DocumentLinesMissing):
        tax_lines([], VAT)
    with pytest.raises(CurrencyMismatch):
        tax_lines([Money(1, EUR), Money(1, Currency("USD"))], VAT)
    with pytest.raises(LineAmountNegative):
        tax_lines(cents(100, -1), VAT)


def assert_consistent(document: TaxedDocument, line_count: int) -> None:
    assert len(document.lines) == line_count
    assert sum_of(document.lines) == document.total
    assert sum_of([subtotal.amounts for subtotal in document.by_rate]) == document.total
    for line in document.lines:
        assert line.gross == line.net + line.tax
        assert not line.net.is_negative and not line.tax.is_negative


@given(st.data(), currencies, rates, st.booleans())
def test_line_taxes_always_sum_to_the_document_tax(
    data: st.DataObject, currency: Currency, rate: Rate, inclusive: bool
) -> None:
    amounts = data.draw(line_amounts(currency))
    document = tax_lines(amounts, rate, prices_include_tax=inclusive)
    assert_consistent(document, len(amounts))
    assert document.by_rate[0].amounts == document.total
    total = Money.total(amounts, currency)
    exact_share = rate.value / (1 + rate.value) if inclusive else rate.value
    for amount, line in zip(amounts, document.lines, strict=True):
        assert (line.gross if inclusive else line.net) == amount
        if not total.is_zero:  # each line's tax is within one unit of its share of the rounded tax
            share = Fraction(document.total.tax.amount_minor * amount.amount_minor, total.amount_minor)
            assert abs(line.tax.amount_minor - share) < 1
    assert abs(document.total.tax.amount_minor - total.amount_minor * exact_share) <= Fraction(1, 2)


@given(st.data(), st.lists(rates, min_size=1, max_size=3), st.booleans())
def test_mixed_rate_documents_add_up_per_rate_and_in_total(
    data: st.DataObject, rate_choices: list[Rate], inclusive: bool
) -> None:
    amounts = data.draw(line_amounts(EUR))
    lines = [TaxableLine(amount, data.draw(st.sampled_from(rate_choices))) for amount in amounts]
    document = tax_document(lines, prices_include_tax=inclusive)
    assert_consistent(document, len(lines))
    assert {subtotal.rate for subtotal in document.by_rate} == {line.rate for line in lines}
