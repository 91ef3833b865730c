"""Invoices: draft -> finalized (immutable) -> paid / void, numbered, taxed once per document."""

from __future__ import annotations

import pytest

from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.errors import CurrencyMismatch
from devforge.domain.billing.invoice import InvoiceIssued, InvoiceLine, InvoiceStatus, Party
from devforge.domain.billing.invoice_errors import (
    DocumentNumberMalformed,
    InvoiceImmutable,
    InvoiceLineInvalid,
    InvoiceStateInvalid,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from tests.unit.billing.documents import NOW, draft, issued, line

NUMBER = DocumentNumber(DocumentSeries.INVOICE, 2026, 123)


def test_numbers_read_like_df_2026_000123() -> None:
    assert str(NUMBER) == "DF-2026-000123"
    assert DocumentNumber.parse("CN-2026-000001") == DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, 1)
    assert DocumentNumber.parse(str(NUMBER)) == NUMBER


@pytest.mark.parametrize("text", ["DF-2026-123", "XX-2026-000001", "DF-2026-000000", "df-2026-000001", ""])
def test_malformed_numbers_are_refused(text: str) -> None:
    with pytest.raises(DocumentNumberMalformed):
        DocumentNumber.parse(text)


def test_finalizing_numbers_the_invoice_and_taxes_it_once_per_rate() -> None:
    invoice = draft(line(1000, quantity=3), line(333), line(1000, rate_bp=700))
    invoice.finalize(NUMBER, NOW)
    assert invoice.status is InvoiceStatus.FINALIZED and invoice.number == NUMBER and invoice.issued_at == NOW
    # 19 % of (3000 + 333) = 633.27 -> 633, spread 570/63; 7 % of 1000 = 70.
    assert [a.tax.amount_minor for a in invoice.amounts] == [570, 63, 70]
    assert [(s.rate, s.amounts.tax.amount_minor) for s in invoice.by_rate] == [
        (Rate.from_basis_points(1900), 633),
        (Rate.from_basis_points(700), 70),
    ]
    assert invoice.total == TaxedAmount.of(Money.of(4333, "EUR"), Money.of(703, "EUR"))
    [event] = invoice.pull_events()
    assert isinstance(event, InvoiceIssued)


def test_a_finalized_invoice_is_immutable() -> None:
    invoice = issued()
    for field, value in [
        ("lines", ()),
        ("buyer", Party("Someone else")),
        ("number", DocumentNumber(DocumentSeries.INVOICE, 2026, 9)),
        ("amounts", ()),
        ("issued_at", NOW),
        ("notes", ("edited",)),
    ]:
        with pytest.raises(InvoiceImmutable):
            setattr(invoice, field, value)
    with pytest.raises(InvoiceImmutable):
        invoice.add_line(line(100))
    with pytest.raises(InvoiceImmutable):
        invoice.finalize(NUMBER, NOW)


def test_only_a_finalized_unpaid_invoice_is_voided_and_it_keeps_its_number() -> None:
    invoice = issued(paid=False)
    invoice.void("duplicate order", NOW)
    assert invoice.status is InvoiceStatus.VOID and invoice.number is not None
    with pytest.raises(InvoiceStateInvalid):
        issued(paid=True).void("too late", NOW)
    with pytest.raises(InvoiceStateInvalid):
        invoice.mark_paid("pi_1", NOW)


def test_paying_twice_with_the_same_payment_is_a_no_op_and_a_draft_cannot_be_paid() -> None:
    invoice = issued(paid=True)
    invoice.mark_paid("pi_123", NOW)
    with pytest.raises(InvoiceStateInvalid):
        draft().mark_paid("pi_1", NOW)


def test_an_invoice_is_in_one_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        draft(line(100, "USD"), currency="EUR")


def test_a_credit_note_number_cannot_number_an_invoice() -> None:
    with pytest.raises(InvoiceStateInvalid):
        draft().finalize(DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, 1), NOW)


def test_charged_amounts_are_kept_as_charged() -> None:
    charged = TaxedAmount.of(Money.of(4900, "EUR"), Money.of(931, "EUR"))
    invoice = draft(InvoiceLine("Pro", 1, Money.of(4900, "EUR"), None, amounts=charged))
    invoice.finalize(NUMBER, NOW)
    assert invoice.amounts == (charged,)
    mismatched = draft(InvoiceLine("Pro", 2, Money.of(4900, "EUR"), None, amounts=charged))
    with pytest.raises(InvoiceLineInvalid):
        mismatched.finalize(NUMBER, NOW)


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_line_has_a_positive_quantity(quantity: int) -> None:
    with pytest.raises(InvoiceLineInvalid):
        line(100, quantity=quantity)
