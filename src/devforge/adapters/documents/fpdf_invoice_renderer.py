"""Invoices and credit notes as PDF, typeset with fpdf2's built-in core fonts.

The core fonts (Helvetica) cover Latin-1 only, and embedding a Unicode font would mean shipping
one; so text is made safe first: characters outside Latin-1 lose their accents where they have
one (``Łódź`` -> ``Lodz``), common typographic ones get their ASCII look-alike, and anything else
becomes ``?``. Amounts are formatted from integer minor units by the currency's exponent
(``Money.format``: ``1,234.56 USD``, ``1,234 JPY``, ``1.500 KWD``); no float touches an amount.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice, InvoiceStatus, Party
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate

_LOOK_ALIKES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...",
     "\u20ac": "EUR", "\u2122": "(TM)", "\u00a0": " "}
)  # fmt: skip
_FONT = "Helvetica"
_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_ACCENT = (13, 71, 161)
_RULE = (206, 212, 218)


def safe_text(text: str) -> str:
    """Text the Latin-1 core fonts can draw, as close to the original as they allow."""
    out = []
    for char in text.translate(_LOOK_ALIKES):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else _STROKED.get(char, "?"))
    return "".join(out)


_STROKED = {"\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i", "\u0152": "OE", "\u0153": "oe"}


def _date(moment: datetime | None) -> str:
    return moment.strftime("%d %B %Y") if moment else "-"


def _rate(rate: Rate | None) -> str:
    return str(rate) if rate is not None else "-"


class _Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_creator("Dev Forge Services")
        self._footer_text = title

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(_FONT, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"{self._footer_text}  -  page {self.page_no()}/{{nb}}", align="C")

    def fitted(self, text: str, width: float) -> str:
        """``text`` made safe and, if wider than ``width`` in the current font, cut with an ellipsis."""
        safe = safe_text(text)
        if self.get_string_width(safe) <= width:
            return safe
        while safe and self.get_string_width(safe + "...") > width:
            safe = safe[:-1]
        return safe + "..."

    def text_line(self, text: str, *, size: int = 10, style: str = "", color: tuple[int, int, int] = _INK) -> None:
        self.set_font(_FONT, style, size)
        self.set_text_color(*color)
        self.cell(0, size * 0.5 + 1, safe_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, kind: str, number: str) -> None:
        self.set_font(_FONT, "B", 22)
        self.set_text_color(*_ACCENT)
        self.cell(100, 12, kind)
        self.set_font(_FONT, "B", 12)
        self.set_text_color(*_INK)
        self.cell(0, 12, number, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_ACCENT)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font(_FONT, "", 9)
            self.set_text_color(*_MUTED)
            self.cell(38, 5, label)
            self.set_text_color(*_INK)
            room = self.w - self.r_margin - self.get_x()
            self.cell(0, 5, self.fitted(value, room), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def parties(self, seller: Party, buyer: Party) -> None:
        top = self.get_y()
        half = (self.w - self.l_margin - self.r_margin - 10) * 0.5
        bottoms = []
        for offset, title, party in ((0, "From", seller), (half + 10, "Billed to", buyer)):
            self.set_xy(self.l_margin + offset, top)
            self.set_font(_FONT, "B", 9)
            self.set_text_color(*_MUTED)
            self.cell(half, 5, title.upper(), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(_FONT, "B", 10)
            self.set_text_color(*_INK)
            self.cell(half, 5, self.fitted(party.name, half), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(_FONT, "", 9)
            details = [
                *party.address,
                party.country or "",
                party.email,
                f"VAT ID {party.vat_id}" if party.vat_id else "",
            ]
            for detail in filter(None, details):
                self.cell(half, 4.5, self.fitted(detail, half), new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottoms.append(self.get_y())
        self.set_xy(self.l_margin, max(bottoms) + 6)

    def table_of(self, headings: tuple[str, ...], widths: tuple[int, ...], rows: Sequence[tuple[str, ...]]) -> None:
        self.set_font(_FONT, "", 9)
        self.set_text_color(*_INK)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        aligns = tuple("LEFT" if i == 0 else "RIGHT" for i in range(len(headings)))
        with self.table(
            col_widths=widths,
            text_align=aligns,
            headings_style=_headings_style(),
            borders_layout="HORIZONTAL_LINES",
            line_height=6,
            first_row_as_headings=True,
        ) as table:
            for values in [headings, *rows]:
                row = table.row()
                for value in values:
                    row.cell(safe_text(value))
        self.ln(4)

    def totals(self, rows: list[tuple[str, str]], *, strong_last: bool = True) -> None:
        width = 70
        for index, (label, value) in enumerate(rows):
            strong = strong_last and index == len(rows) - 1
            self.set_x(self.w - self.r_margin - width)
            self.set_font(_FONT, "B" if strong else "", 11 if strong else 9)
            self.set_text_color(*_INK)
            self.cell(width * 0.5, 6, label)
            self.cell(width * 0.5, 6, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)


def _headings_style() -> object:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=_MUTED, fill_color=(241, 243, 245))


def _money(minor: Money) -> str:
    return minor.format()


class FpdfInvoiceRenderer:
    def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes:
        number = str(invoice.number) if invoice.number else "DRAFT"
        pdf = _Document(f"Invoice {number}")
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
        pdf.text_line("Tax by rate", size=9, style="B", color=_MUTED)
        pdf.table_of(("Rate", "Net", "Tax", "Total"), (40, 40, 40, 40), by_rate)
        total = invoice.total
        label = "Total (tax included)" if invoice.prices_include_tax else "Total"
        pdf.totals([("Net", _money(total.net)), ("Tax", _money(total.tax)), (label, _money(total.gross))])
        for note in invoice.notes:
            pdf.text_line(note, size=9, color=_MUTED)
        if credit_notes:
            pdf.ln(2)
            pdf.text_line("Credit notes issued against this invoice", size=9, style="B", color=_MUTED)
            notes = [(str(n.number), _date(n.issued_at), n.reason or "-", _money(n.total.gross)) for n in credit_notes]
            pdf.table_of(("Credit note", "Date", "Reason", "Amount"), (40, 36, 60, 38), notes)
        pdf.ln(4)
        pdf.text_line("Thank you for your purchase.", size=10, style="B", color=_ACCENT)
        return bytes(pdf.output())

    def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes:
        pdf = _Document(f"Credit note {note.number}")
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
        pdf.text_line("The amount above is refunded to the original means of payment.", size=9, color=_MUTED)
        return bytes(pdf.output())
