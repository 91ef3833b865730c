"""Bodies of the financial reports: a report is its columns, its rows and its totals per currency
(the same columns, the other dimensions empty), integer minor units of each row's currency,
never floats; the reconciliation lists its differences."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated

from msgspec import Meta

from devforge.application.billing.reconcile_payments import Reconciliation
from devforge.domain.billing.financial_reports import Report
from devforge.domain.billing.reconciliation import Difference
from devforge.entrypoints.http.schemas import CamelStruct

Cell = str | int


class FinancialReportResponse(CamelStruct):
    report: Annotated[str, Meta(examples=["revenue"])]
    start: Annotated[datetime, Meta(examples=["2026-11-01T00:00:00Z"])]
    end: Annotated[datetime, Meta(examples=["2026-12-01T00:00:00Z"])]
    interval: Annotated[str, Meta(examples=["month"])]
    columns: Annotated[
        list[str],
        Meta(examples=[["period", "currency", "product", "publisher", "invoices", "net", "tax", "gross"]]),
    ]
    rows: Annotated[
        list[list[Cell]],
        Meta(
            description="One row per period and dimensions; amounts in minor units of the row's currency",
            examples=[[["2026-11-01", "EUR", "editor-pro", "", 3, 25126, 4774, 29900]]],
        ),
    ]
    totals: Annotated[
        list[list[Cell]],
        Meta(description="Per currency, the rows' sums", examples=[[["", "EUR", "", "", 3, 25126, 4774, 29900]]]),
    ]

    @classmethod
    def of(cls, report: Report, start: datetime, end: datetime, interval: str) -> FinancialReportResponse:
        return cls(
            report.name,
            start,
            end,
            interval,
            list(report.columns),
            [list(row) for row in report.rows],
            [list(row) for row in report.totals],
        )


class DifferenceResponse(CamelStruct):
    kind: Annotated[str, Meta(examples=["fee_differs"])]
    reference: Annotated[
        str, Meta(description="An order id, a payment id or the provider's transaction id", examples=["pi_3PqR"])
    ]
    currency: Annotated[str, Meta(examples=["EUR"])]
    expected: Annotated[int | None, Meta(description="What the other side says (minor units)", examples=[897])]
    found: Annotated[int | None, Meta(description="What this side holds (minor units)", examples=[892])]
    detail: Annotated[str, Meta(examples=["order 0b6c...: ledger fee vs the provider's"])]

    @classmethod
    def of(cls, difference: Difference) -> DifferenceResponse:
        d = difference
        return cls(d.kind, d.reference, d.currency, d.expected, d.found, d.detail)


class ReconciliationResponse(CamelStruct):
    start: Annotated[datetime, Meta(examples=["2026-11-01T00:00:00Z"])]
    end: Annotated[datetime, Meta(examples=["2026-12-01T00:00:00Z"])]
    orders: Annotated[int, Meta(description="Orders paid in the period", examples=[120])]
    sales: Annotated[int, Meta(description="Sale postings in the period", examples=[120])]
    provider_transactions: Annotated[
        int, Meta(description="The provider's balance transactions in the period", examples=[131])
    ]
    differences: list[DifferenceResponse]

    @classmethod
    def of(cls, found: Reconciliation) -> ReconciliationResponse:
        return cls(
            found.period.start,
            found.period.end,
            found.orders,
            found.sales,
            found.provider_transactions,
            [DifferenceResponse.of(d) for d in found.differences],
        )


def report_csv(report: Report) -> str:
    """The rows, then a ``total`` row per currency (first column ``total``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report.columns)
    writer.writerows(report.rows)
    writer.writerows(("total", *row[1:]) for row in report.totals)
    return out.getvalue()


def reconciliation_csv(found: Reconciliation) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("kind", "reference", "currency", "expected", "found", "detail"))
    writer.writerows(
        (
            d.kind,
            d.reference,
            d.currency,
            "" if d.expected is None else d.expected,
            "" if d.found is None else d.found,
            d.detail,
        )
        for d in found.differences
    )
    return out.getvalue()
