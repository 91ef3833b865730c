"""A developer's monthly statement as PDF, on the invoices' page furniture (``fpdf_pages``):
the publisher and period, the summary from opening to closing balance, then a line per ledger
transaction. Amounts from integer minor units (``Money.format``)."""

from __future__ import annotations

from devforge.domain.billing.money import Money
from devforge.domain.billing.statement import Statement, StatementKind

_KIND = {
    StatementKind.SALE: "Sale",
    StatementKind.REFUND: "Refund",
    StatementKind.CHARGEBACK: "Chargeback",
    StatementKind.PAYOUT: "Payout",
    StatementKind.PAYOUT_RETURNED: "Payout returned",
    StatementKind.ADJUSTMENT: "Adjustment",
}
_WIDTHS = (18, 24, 30, 36, 22, 22, 14, 24)


def _money(amount: Money | None) -> str:
    return "-" if amount is None else amount.major_units_text(grouped=True)


class FpdfStatementRenderer:
    def render_statement(self, statement: Statement, publisher_name: str) -> bytes:
        from devforge.adapters.documents import fpdf_pages

        currency = statement.currency
        pdf = fpdf_pages.Document(f"Statement {statement.month} {currency.code}")
        pdf.alias_nb_pages()
        pdf.add_page()
        pdf.heading("STATEMENT", f"{statement.month} {currency.code}")
        pdf.facts(
            [
                ("Publisher", publisher_name),
                ("Publisher id", str(statement.publisher_id)),
                ("Period", f"{statement.month.start:%d %B %Y} to {statement.month.end:%d %B %Y} (UTC, end excluded)"),
                ("Currency", f"{currency.code} ({currency.name}); amounts in {currency.code}"),
            ]
        )
        pdf.totals(
            [
                ("Opening balance", _money(statement.opening)),
                ("Sales (your share)", _money(statement.sales)),
                ("Refunds", _money(statement.refunds)),
                ("Chargebacks", _money(statement.chargebacks)),
                ("Fees", _money(statement.fees)),
                ("Adjustments", _money(statement.adjustments)),
                ("Tax withheld", _money(statement.tax_withheld)),
                ("Payouts", _money(statement.payouts)),
                ("Closing balance", _money(statement.closing)),
            ]
        )
        pdf.text_line(
            f"Gross sales {_money(statement.gross_sales)}; platform commission {_money(statement.commission)}.",
            size=9,
            color=fpdf_pages.MUTED,
        )
        for note in statement.notes:
            pdf.text_line(note, size=9, color=fpdf_pages.MUTED)
        pdf.ln(2)
        rows = []
        for line in statement.lines:
            cells = (
                f"{line.occurred_at:%Y-%m-%d}",
                _KIND[line.kind],
                str(line.order_id) if line.order_id else line.reference,
                ", ".join(line.extensions) or "-",
            )
            fitted = tuple(pdf.fitted(text, width - 2) for text, width in zip(cells, _WIDTHS, strict=False))
            rows.append((*fitted, _money(line.gross), _money(line.commission), _money(line.fees), _money(line.amount)))
        headings = ("Date", "Kind", "Order / reference", "Extension", "Gross", "Commission", "Fees", "Amount")
        pdf.table_of(headings, _WIDTHS, rows)
        if not rows:
            pdf.text_line("No movements this month.", size=9, color=fpdf_pages.MUTED)
        return bytes(pdf.output())
