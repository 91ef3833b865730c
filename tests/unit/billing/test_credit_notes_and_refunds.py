"""Credit notes and refunds against an invoice: never more than remains, always exact."""

from __future__ import annotations

from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devforge.domain.billing.credit_note_document import CreditNote, remaining_creditable
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.errors import RefundAmountInvalid, RefundExceedsRemaining
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.invoice_errors import InvoiceStateInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund, RefundStatus, ensure_refundable, refundable
from devforge.domain.billing.tax import TaxedAmount
from tests.unit.billing.documents import NOW, draft, issued, line
from tests.unit.billing.strategies import currencies


def credit(invoice: Invoice, amount: int, earlier: list[CreditNote]) -> CreditNote:
    return CreditNote.issue(
        id=uuid4(),
        invoice=invoice,
        amount=Money(amount, invoice.currency),
        earlier=earlier,
        number=DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, len(earlier) + 1),
        reason="",
        now=NOW,
    )


def refund_of(invoice: Invoice, amount: int, status: RefundStatus = RefundStatus.REQUESTED) -> Refund:
    return Refund(
        uuid4(),
        invoice.id,
        invoice.order_id,
        invoice.user_id,
        Money(amount, invoice.currency),
        "",
        uuid4(),
        NOW,
        status,
    )


def test_a_full_credit_note_credits_exactly_the_invoice() -> None:
    invoice = issued(line(1999, quantity=3), line(500, rate_bp=700))
    note = credit(invoice, invoice.total.gross.amount_minor, [])
    assert note.lines == invoice.amounts
    assert remaining_creditable(invoice, [note]).is_zero


def test_crediting_more_than_remains_is_refused() -> None:
    invoice = issued(line(1000))
    first = credit(invoice, 1000, [])
    with pytest.raises(RefundExceedsRemaining):
        credit(invoice, 191, [first])


def test_a_draft_or_void_invoice_cannot_be_credited() -> None:
    with pytest.raises(InvoiceStateInvalid):
        credit(draft(), 100, [])
    void = issued(paid=False)
    void.void("mistake", NOW)
    with pytest.raises(InvoiceStateInvalid):
        credit(void, 100, [])


def test_failed_refunds_free_their_amount_and_the_rest_hold_it() -> None:
    invoice = issued(line(1000))  # 1190 gross
    refunds = [refund_of(invoice, 500, RefundStatus.FAILED), refund_of(invoice, 300, RefundStatus.UNKNOWN)]
    assert refundable(invoice.total.gross, refunds) == Money(890, invoice.currency)
    ensure_refundable(Money(890, invoice.currency), invoice.total.gross, refunds)
    with pytest.raises(RefundExceedsRemaining):
        ensure_refundable(Money(891, invoice.currency), invoice.total.gross, refunds)
    with pytest.raises(RefundAmountInvalid):
        ensure_refundable(Money(0, invoice.currency), invoice.total.gross, refunds)


def test_a_refund_settles_once() -> None:
    refund = refund_of(issued(), 100)
    refund.settle("succeeded", "re_1", NOW)
    assert refund.returns_money and refund.idempotency_key == f"refund-{refund.id}"
    with pytest.raises(InvoiceStateInvalid):
        refund.settle("failed", "re_1", NOW)


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    currency = draw(currencies)
    lines = [
        line(
            draw(st.integers(min_value=0, max_value=10**7)),
            currency.code,
            rate_bp=draw(st.sampled_from([0, 500, 700, 1900, 2100, 2500, 888])),
            quantity=draw(st.integers(min_value=1, max_value=5)),
        )
        for _ in range(draw(st.integers(min_value=1, max_value=5)))
    ]
    invoice = draft(*lines, currency=currency.code)
    invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, 1), NOW)
    invoice.mark_paid("pi", NOW)
    return invoice


@settings(max_examples=150, deadline=None)
@given(invoices(), st.lists(st.tuples(st.integers(min_value=1, max_value=10**8), st.booleans()), max_size=12))
def test_any_sequence_of_partial_refunds_and_credit_notes_never_exceeds_the_invoice_and_sums_exactly(
    invoice: Invoice, asks: list[tuple[int, bool]]
) -> None:
    """Each ask is a refund of some amount, which fails at the provider or not; those that
    return money get a credit note. Whatever the order, nothing exceeds the invoice."""
    refunds: list[Refund] = []
    notes: list[CreditNote] = []
    gross = invoice.total.gross
    for amount, fails in asks:
        money = Money(amount, invoice.currency)
        if money > refundable(gross, refunds):
            with pytest.raises(RefundExceedsRemaining):
                ensure_refundable(money, gross, refunds)
            continue
        ensure_refundable(money, gross, refunds)
        refund = refund_of(invoice, amount)
        refunds.append(refund)
        refund.settle("failed" if fails else "succeeded", "re", NOW)
        if refund.returns_money:
            notes.append(credit(invoice, amount, notes))
        credited = TaxedAmount.zero(invoice.currency)
        for note in notes:
            assert note.total.gross == Money.total((ln.gross for ln in note.lines), invoice.currency)
            credited = credited + note.total
        returned = Money.total((r.amount for r in refunds if r.returns_money), invoice.currency)
        assert credited.gross == returned
        assert credited.net <= invoice.total.net and credited.tax <= invoice.total.tax
        for position, invoiced in enumerate(invoice.amounts):
            line_net = Money.total((n.lines[position].net for n in notes), invoice.currency)
            line_tax = Money.total((n.lines[position].tax for n in notes), invoice.currency)
            assert line_net <= invoiced.net and line_tax <= invoiced.tax
        assert remaining_creditable(invoice, notes) + credited.gross == gross
    if refundable(gross, refunds).amount_minor > 0:
        rest = refundable(gross, refunds)
        notes.append(credit(invoice, rest.amount_minor, notes))
        total = TaxedAmount.zero(invoice.currency)
        for note in notes:
            total = total + note.total
        assert total == invoice.total
