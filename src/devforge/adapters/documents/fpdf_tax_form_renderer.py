"""A payee's copy of Form 1099-K or 1099-NEC as PDF, on the invoices' page furniture
(``fpdf_pages``): the filer, the recipient (its TIN masked: the only form it is ever shown in),
then the boxes. A copy for the payee's records, not the IRS's scannable form."""

from __future__ import annotations

import calendar

from devforge.domain.billing.money import Money
from devforge.domain.billing.tax_profile import TaxProfile
from devforge.domain.billing.tax_reports import Form1099K, Form1099Nec

_MONTHS = tuple(calendar.month_name[1:])


def _money(amount: Money) -> str:
    return f"${amount.major_units_text(grouped=True)}"


def _recipient(profile: TaxProfile) -> list[tuple[str, str]]:
    tin = profile.tin
    return [
        ("Recipient", profile.name),
        ("Recipient's TIN", f"{tin.masked} ({tin.kind.value.upper()})" if tin else "not given (backup withholding)"),
        ("Address", profile.address),
        ("Account number", str(profile.publisher_id)),
    ]


class FpdfTaxFormRenderer:
    def render_1099k(self, year: int, form: Form1099K, filer: str) -> bytes:
        from devforge.adapters.documents import fpdf_pages

        pdf = fpdf_pages.Document(f"Form 1099-K {year}")
        pdf.alias_nb_pages()
        pdf.add_page()
        pdf.heading("FORM 1099-K", f"Tax year {year}")
        pdf.text_line("Payment Card and Third Party Network Transactions - Copy B, for the recipient", size=9)
        pdf.ln(2)
        pdf.facts([("Filer (PSE)", filer), ("Transactions reported", "third party network"), *_recipient(form.profile)])
        pdf.totals(
            [
                ("Box 3: transactions", str(form.transactions)),
                ("Box 4: tax withheld", _money(form.withheld)),
                ("Box 1a: gross amount", _money(form.gross)),
            ]
        )
        rows = [(f"5{'abcdefghijkl'[i]}", _MONTHS[i], _money(amount)) for i, amount in enumerate(form.monthly)]
        pdf.table_of(("Box", "Month", "Gross amount"), (20, 60, 94), rows)
        return bytes(pdf.output())

    def render_1099nec(self, year: int, form: Form1099Nec, filer: str) -> bytes:
        from devforge.adapters.documents import fpdf_pages

        pdf = fpdf_pages.Document(f"Form 1099-NEC {year}")
        pdf.alias_nb_pages()
        pdf.add_page()
        pdf.heading("FORM 1099-NEC", f"Tax year {year}")
        pdf.text_line("Nonemployee Compensation - Copy B, for the recipient", size=9)
        pdf.ln(2)
        pdf.facts([("Payer", filer), *_recipient(form.profile)])
        pdf.totals(
            [
                ("Box 4: tax withheld", _money(form.withheld)),
                ("Box 1: nonemployee compensation", _money(form.compensation)),
            ]
        )
        return bytes(pdf.output())
