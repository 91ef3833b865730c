"""The page layout of devforge's PDF documents, on fpdf2's built-in core fonts.

Imported only when a document is rendered (``FpdfInvoiceRenderer``): fpdf2 costs about a second
to import on these machines, which every process and test start would otherwise pay.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from devforge.domain.billing.invoice import Party

_LOOK_ALIKES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...",
     "\u20ac": "EUR", "\u2122": "(TM)", "\u00a0": " "}
)  # fmt: skip
FONT = "Helvetica"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (13, 71, 161)
RULE = (206, 212, 218)


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


class Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_creator("Dev Forge Services")
        self._footer_text = title

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self._footer_text}  -  page {self.page_no()}/{{nb}}", align="C")

    def fitted(self, text: str, width: float) -> str:
        """``text`` made safe and, if wider than ``width`` in the current font, cut with an ellipsis."""
        safe = safe_text(text)
        if self.get_string_width(safe) <= width:
            return safe
        while safe and self.get_string_width(safe + "...") > width:
            safe = safe[:-1]
        return safe + "..."

    def text_line(self, text: str, *, size: int = 10, style: str = "", color: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.cell(0, size * 0.5 + 1, safe_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, kind: str, number: str) -> None:
        self.set_font(FONT, "B", 22)
        self.set_text_color(*ACCENT)
        self.cell(100, 12, kind)
        self.set_font(FONT, "B", 12)
        self.set_text_color(*INK)
        self.cell(0, 12, number, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font(FONT, "", 9)
            self.set_text_color(*MUTED)
            self.cell(38, 5, label)
            self.set_text_color(*INK)
            room = self.w - self.r_margin - self.get_x()
            self.cell(0, 5, self.fitted(value, room), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def parties(self, seller: Party, buyer: Party) -> None:
        top = self.get_y()
        half = (self.w - self.l_margin - self.r_margin - 10) * 0.5
        bottoms = []
        for offset, title, party in ((0, "From", seller), (half + 10, "Billed to", buyer)):
            self.set_xy(self.l_margin + offset, top)
            self.set_font(FONT, "B", 9)
            self.set_text_color(*MUTED)
            self.cell(half, 5, title.upper(), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FONT, "B", 10)
            self.set_text_color(*INK)
            self.cell(half, 5, self.fitted(party.name, half), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FONT, "", 9)
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
        self.set_font(FONT, "", 9)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        aligns = tuple("LEFT" if i == 0 else "RIGHT" for i in range(len(headings)))
        with self.table(
            col_widths=widths,
            text_align=aligns,
            headings_style=headings_style(),
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
            self.set_font(FONT, "B" if strong else "", 11 if strong else 9)
            self.set_text_color(*INK)
            self.cell(width * 0.5, 6, label)
            self.cell(width * 0.5, 6, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)


def headings_style() -> object:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=MUTED, fill_color=(241, 243, 245))
