"""The invoice PDF: a valid PDF whose text carries the number, the parties, the lines and the
amounts formatted by each currency's exponent; characters outside Latin-1 never break it."""

from __future__ import annotations

import re
import zlib

import pytest

from devforge.adapters.documents.fpdf_invoice_renderer import FpdfInvoiceRenderer
from devforge.adapters.documents.fpdf_pages import safe_text
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Party
from devforge.domain.billing.money import Money
from tests.unit.billing.documents import NOW, draft, issued, line


def page_text(pdf: bytes) -> str:
    """The text shown on the pages: every content stream inflated, the strings drawn by Tj.

    A stream is read by its declared ``/Length``: compressed bytes may themselves end in a
    carriage return, which a search for the ``endstream`` line would cut off."""
    shown = []
    for found in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        stream = pdf[found.end() : found.end() + int(found.group(1))]
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        shown += re.findall(rb"\((.*?)\)\s*Tj", content, re.S)
    return " ".join(part.decode("latin-1").replace("\\(", "(").replace("\\)", ")") for part in shown)


def test_the_invoice_pdf_shows_its_number_parties_lines_and_totals() -> None:
    invoice = issued(line(4900, quantity=2), line(1000, rate_bp=700, name="Extension pack"), sequence=123)
    pdf = FpdfInvoiceRenderer().render_invoice(invoice, [])
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = page_text(pdf)
    for expected in [
        "DF-2026-000123",
        "Dev Forge Services GmbH",
        "Zo\u00eb Lukasiewicz",  # the Polish L has no Latin-1 form: its base letter is shown
        "Extension pack",
        "98.00 EUR",
        "19 %",
        "7 %",
        "18.62 EUR",
        "116.62 EUR",
        "Total",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize(("currency", "minor", "shown"), [("JPY", 4900, "4,900 JPY"), ("KWD", 4900, "4.900 KWD")])
def test_amounts_follow_the_currency_exponent(currency: str, minor: int, shown: str) -> None:
    pdf = FpdfInvoiceRenderer().render_invoice(issued(line(minor, currency, rate_bp=0), currency=currency), [])
    assert shown in page_text(pdf)


def test_the_credit_note_pdf_names_itself_and_the_invoice_it_credits() -> None:
    invoice = issued(line(1000))
    note = CreditNote.issue(
        id=invoice.id,
        invoice=invoice,
        amount=Money.of(595, "EUR"),
        earlier=[],
        number=DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, 7),
        reason="Partial refund \u2014 one seat",
        now=NOW,
    )
    text = page_text(FpdfInvoiceRenderer().render_credit_note(note, invoice))
    assert "CN-2026-000007" in text and "DF-2026-000001" in text and "5.95 EUR" in text
    assert "Partial refund - one seat" in text


def test_text_outside_latin_1_is_made_safe() -> None:
    assert safe_text("\u0141\u00f3d\u017a \u201cquoted\u201d \u20ac \u4e2d") == 'L\u00f3dz "quoted" EUR ?'


def test_a_party_too_long_for_its_block_is_cut_not_spilled() -> None:
    invoice = draft(line(1000))
    long_name = "Very Long Company Name " * 10
    invoice.buyer = Party(long_name.strip(), "x@example.com")
    invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, 1), NOW)
    text = page_text(FpdfInvoiceRenderer().render_invoice(invoice, []))
    assert "Very Long Company Name Very" in text and long_name.strip() not in text and "..." in text
