import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.billing.credit_note import CreditBreakdown, credit_note_for, remaining_refundable
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import (
    CreditExceedsInvoice,
    CurrencyMismatch,
    DocumentLinesMissing,
    RefundAmountInvalid,
    RefundExceedsRemaining,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_document import TaxableLine, tax_document, tax_lines
from tests.unit.billing.strategies import currencies, line_amounts, rates

EUR = Currency("EUR")


def eur(net: int, tax: int) -> TaxedAmount:
    return TaxedAmount.of(Money(net, EUR), Money(tax, EUR))


INVOICE = tax_lines([Money(10000, EUR), Money(999, EUR)], 1900).lines  # (10000+1900), (999+190)


def test_a_partial_refund_credits_net_and_tax_in_step_over_the_lines() -> None:
    assert (eur(10000, 1900), eur(999, 190)) == INVOICE
    credit = credit_note_for(INVOICE, Money(1189, EUR))
    assert credit.total == eur(999, 190)  # 1189 x 10999/13089 = 999.15 of net
    assert credit.lines == (eur(908, 173), eur(91, 17))
    assert credit.total.gross == Money(1189, EUR)


def test_refunding_everything_credits_exactly_the_invoice() -> None:
    credit = credit_note_for(INVOICE, Money(13089, EUR))
    assert credit.lines == INVOICE


def test_refunds_after_earlier_credit_notes_only_reach_what_remains() -> None:
    first = credit_note_for(INVOICE, Money(5000, EUR))
    remaining = remaining_refundable(INVOICE, [first])
    assert sum(line.gross.amount_minor for line in remaining) == 8089
    with pytest.raises(RefundExceedsRemaining) as refused:
        credit_note_for(INVOICE, Money(8090, EUR), already_credited=[first])
    assert refused.value.field == "amount"
    last = credit_note_for(INVOICE, Money(8089, EUR), already_credited=[first])
    assert tuple(a + b for a, b in zip(first.lines, last.lines, strict=True)) == INVOICE


def test_a_refund_is_positive_in_the_invoice_currency() -> None:
    with pytest.raises(RefundAmountInvalid):
        credit_note_for(INVOICE, Money(0, EUR))
    with pytest.raises(RefundAmountInvalid):
        credit_note_for(INVOICE, Money(-1, EUR))
    with pytest.raises(CurrencyMismatch):
        credit_note_for(INVOICE, Money(1, Currency("USD")))
    with pytest.raises(DocumentLinesMissing):
        credit_note_for([], Money(1, EUR))


def test_a_history_that_credits_more_than_invoiced_is_refused() -> None:
    too_much = CreditBreakdown(lines=(eur(10001, 0), eur(0, 0)), total=eur(10001, 0))
    with pytest.raises(CreditExceedsInvoice):
        remaining_refundable(INVOICE, [too_much])
    misaligned = CreditBreakdown(lines=(eur(1, 0),), total=eur(1, 0))
    with pytest.raises(CreditExceedsInvoice):
        remaining_refundable(INVOICE, [misaligned])


@given(
    st.data(),
    currencies,
    st.lists(rates, min_size=1, max_size=3),
    st.booleans(),
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=6),
    st.booleans(),
)
def test_any_sequence_of_partial_refunds_never_exceeds_the_invoice_and_sums_exactly(
    data: st.DataObject,
    currency: Currency,
    rate_choices: list[Rate],
    inclusive: bool,
    asks: list[int],
    refund_the_rest: bool,
) -> None:
    amounts = data.draw(line_amounts(currency, max_lines=6))
    lines = [TaxableLine(amount, data.draw(st.sampled_from(rate_choices))) for amount in amounts]
    invoice = tax_document(lines, prices_include_tax=inclusive)
    invoiced = invoice.lines
    notes: list[CreditBreakdown] = []
    refunded = 0
    for ask in asks:
        left = invoice.total.gross.amount_minor - refunded
        if left == 0:
            break
        amount = Money(min(ask, left), currency)
        note = credit_note_for(invoiced, amount, already_credited=notes)
        assert note.total.gross == amount
        assert sum_lines(note.lines, currency) == note.total
        assert all(not line.net.is_negative and not line.tax.is_negative for line in note.lines)
        notes.append(note)
        refunded += amount.amount_minor
    left = invoice.total.gross.amount_minor - refunded
    if refund_the_rest and left:
        notes.append(credit_note_for(invoiced, Money(left, currency), already_credited=notes))
        left = 0
    credited = [sum_lines([note.lines[i] for note in notes], currency) for i in range(len(invoiced))]
    for invoiced_line, credited_line in zip(invoiced, credited, strict=True):
        assert credited_line.net <= invoiced_line.net
        assert credited_line.tax <= invoiced_line.tax
        assert credited_line.gross <= invoiced_line.gross
    assert sum_lines(credited, currency).gross.amount_minor == invoice.total.gross.amount_minor - left
    if left == 0:
        assert tuple(credited) == invoiced
    with pytest.raises((RefundExceedsRemaining, RefundAmountInvalid)):
        credit_note_for(invoiced, Money(left + 1, currency) if left else Money(1, currency), already_credited=notes)


def sum_lines(lines: list[TaxedAmount] | tuple[TaxedAmount, ...], currency: Currency) -> TaxedAmount:
    total = TaxedAmount.zero(currency)
    for line in lines:
        total = total + line
    return total
