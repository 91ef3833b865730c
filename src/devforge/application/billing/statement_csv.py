"""A statement as CSV, one row per ledger transaction, then the summary rows. Columns (the
documented layout, README and architecture.md):

``date`` (ISO 8601, UTC), ``kind`` (sale, refund, chargeback, payout, payout_returned,
adjustment, or for a summary row ``opening_balance``, ``sales``, ``refunds``, ``chargebacks``,
``fees``, ``commission``, ``tax_withheld``, ``adjustments``, ``payouts``, ``closing_balance``),
``reference`` (the ledger fact: order, order:renewal, refund, dispute or payout id), ``order_id``,
``extensions`` (the extensions' names, ``;``-separated; a text cell starting with ``=``, ``+``,
``-`` or ``@`` gets a leading ``'`` so no spreadsheet runs it as a formula), ``currency``, then
amounts in major units with the currency's decimals (``12.34``; negative lowers what you are owed): ``gross``,
``commission``, ``fees``, ``tax_withheld``, ``payout``, ``amount`` (the change in what you are
owed). Summary rows carry their figure in ``amount``."""

from __future__ import annotations

import csv
import io

from devforge.domain.billing.money import Money
from devforge.domain.billing.statement import Statement

COLUMNS = (
    "date",
    "kind",
    "reference",
    "order_id",
    "extensions",
    "currency",
    "gross",
    "commission",
    "fees",
    "tax_withheld",
    "payout",
    "amount",
)


def _amount(money: Money | None) -> str:
    return "" if money is None else money.major_units_text()


def _text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def statement_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    code = statement.currency.code
    for line in statement.lines:
        writer.writerow(
            (
                line.occurred_at.isoformat(),
                line.kind.value,
                _text(line.reference),
                str(line.order_id) if line.order_id else "",
                _text(";".join(line.extensions)),
                code,
                _amount(line.gross),
                _amount(line.commission),
                _amount(line.fees),
                _amount(line.tax_withheld),
                _amount(line.payout),
                _amount(line.amount),
            )
        )
    summary = (
        ("opening_balance", statement.opening),
        ("sales", statement.sales),
        ("refunds", statement.refunds),
        ("chargebacks", statement.chargebacks),
        ("fees", statement.fees),
        ("commission", statement.commission),
        ("tax_withheld", statement.tax_withheld),
        ("adjustments", statement.adjustments),
        ("payouts", statement.payouts),
        ("closing_balance", statement.closing),
    )
    for kind, money in summary:
        writer.writerow(
            (statement.month.end.isoformat(), kind, str(statement.month), "", "", code, *[""] * 5, _amount(money))
        )
    return out.getvalue()
