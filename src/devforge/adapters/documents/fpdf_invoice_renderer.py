"""Invoices and credit notes as PDF, typeset with fpdf2's built-in core fonts.

The core fonts (Helvetica) cover Latin-1 only, and embedding a Unicode font would mean shipping
one; so text is made safe first: characters outside Latin-1 lose their accents where they have
one (``Łódź`` -> ``Lodz``), common typographic ones get their ASCII look-alike, and anything else
becomes ``?``. Amounts are formatted from integer minor units by the currency's exponent
(``Money.format``: ``1,234.56 USD``, ``1,234 JPY``, ``1.500 KWD``); no float touches an amount.
"""

from __future__ import annotations

from datetime import datetime

from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice, InvoiceStatus
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate


def _date(moment: datetime | None) -> str:
    return moment.strftime("%d %B %Y") if moment else "-"


def _rate(rate: Rate | None) -> str:
    return str(rate) if rate is not None else "-"


def _money(minor: Money) -> str:
    return minor.format()


class FpdfInvoiceRenderer:
    def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
        from devforge.adapters.documents import fpdf_pages

        number = str(invoice.number) if invoice.number else "DRAFT"
        pdf = fpdf_pages.Document(f"Invoice {number}")
        pdf.alias_nb_pages()
        pdf.add_page()
        pdf.heading("INVOICE", number)
        facts = [("Invoice number", number), ("Issue date", _date(invoice.issued_at))]
        if invoice.status is InvoiceStatus.PAID:
            facts.append(
                ("Paid", f"{_date(invoice.paid_at)}" + (f" ({invoice.payment_id})" if invoice.payment_id else ""))
            )
        if invoice.status is InvoiceStatus.VOID:
            facts.append(("Status", f"VOID since {_date(invoice.voided_at)}: {invoice.void_reason or ''}"))
        if invoice.order_id:
            facts.append(("Order", str(invoice.order_id)))
        facts.append(("Currency", f"{invoice.currency.code} ({invoice.currency.name})"))
        pdf.facts(facts)
        pdf.parties(invoice.seller, invoice.buyer)
        rows = []
        for line, amounts in zip(invoice.lines, invoice.amounts, strict=True):
            rows.append(
                (
                    line.description,
                    str(line.quantity),
                    _money(line.unit_amount),
                    _rate(line.tax_rate),
                    _money(amounts.net),
                    _money(amounts.tax),
                    _money(amounts.gross),
                )
            )
        pdf.table_of(
            ("Description", "Qty", "Unit price", "Tax", "Net", "Tax amount", "Total"),
            (54, 10, 24, 14, 24, 22, 26),
            rows,
        )
        by_rate = [
            (_rate(s.rate), _money(s.amounts.net), _money(s.amounts.tax), _money(s.amounts.gross))
            for s in invoice.by_rate
        ]
        pdf.text_line("Tax by rate", size=9, style="B", color=fpdf_pages.MUTED)
        pdf.table_of(("Rate", "Net", "Tax", "Total"), (40, 40, 40, 40), by_rate)
        total = invoice.total
        label = "Total (tax included)" if invoice.prices_include_tax else "Total"
        pdf.totals([("Net", _money(total.net)), ("Tax", _money(total.tax)), (label, _money(total.gross))])
        for note in invoice.notes:
            pdf.text_line(note, size=9, color=fpdf_pages.MUTED)
        if credit_notes:
            pdf.ln(2)
            pdf.text_line("Credit notes issued against this invoice", size=9, style="B", color=fpdf_pages.MUTED)
            notes = [(str(n.number), _date(n.issued_at), n.reason or "-", _money(n.total.gross)) for n in credit_notes]
            pdf.table_of(("Credit note", "Date", "Reason", "Amount"), (40, 36, 60, 38), notes)
        pdf.ln(4)
        pdf.text_line("Thank you for your purchase.", size=10, style="B", color=fpdf_pages.ACCENT)
        return bytes(pdf.output())

    def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes:
        from devforge.adapters.documents import fpdf_pages

        pdf = fpdf_pages.Document(f"Credit note {note.number}")
        pdf.alias_nb_pages()
        pdf.add_page()
        pdf.heading("CREDIT NOTE", str(note.number))
        pdf.facts(
            [
                ("Credit note number", str(note.number)),
                ("Issue date", _date(note.issued_at)),
                ("Credits invoice", f"{invoice.number} of {_date(invoice.issued_at)}"),
                ("Reason", note.reason or "-"),
                ("Currency", f"{note.currency.code} ({note.currency.name})"),
            ]
        )
        pdf.parties(invoice.seller, invoice.buyer)
        rows = []
        for line, credited in zip(invoice.lines, note.lines, strict=True):
            if credited.gross.is_zero:
                continue
            rows.append(
                (
                    line.description,
                    _rate(line.tax_rate),
                    _money(credited.net),
                    _money(credited.tax),
                    _money(credited.gross),
                )
            )
        pdf.table_of(
            ("Description", "Tax", "Net credited", "Tax credited", "Total credited"), (62, 16, 32, 32, 32), rows
        )
        total = note.total
        pdf.totals([("Net", _money(total.net)), ("Tax", _money(total.tax)), ("Total credited", _money(total.gross))])
        pdf.text_line("The amount above is refunded to the original means of payment.", size=9, color=fpdf_pages.MUTED)
        return bytes(pdf.output())
