"""``/api/payments/reports/...``: the finance team's reports (``finance:read``: a finance account or
an admin, with two-factor; never an API key), each as JSON and as CSV (``.csv``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from devforge.application.billing.reconcile_payments import ReconcilePayments
from devforge.application.billing.report_fees import ReportFees
from devforge.application.billing.report_payables import ReportPayables
from devforge.application.billing.report_refunds import ReportRefunds
from devforge.application.billing.report_revenue import ReportRevenue
from devforge.application.billing.report_tax import ReportTax
from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.reports_schemas import (
    FinancialReportResponse,
    ReconciliationResponse,
    reconciliation_csv,
    report_csv,
)
from devforge.entrypoints.http.billing.statements_controller import CSV_ANSWER, csv_response
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN

From = Annotated[datetime, QueryParameter(name="from", description="ISO 8601 with an offset, included")]
To = Annotated[datetime, QueryParameter(name="to", description="ISO 8601 with an offset, excluded")]
Interval = Annotated[
    str,
    QueryParameter(
        description="`day` (at most 92 days), `week` (ISO, from Monday) or `month`; a year at most",
        pattern=LINE_PATTERN,
        max_length=16,
    ),
]
_PROBLEMS = problems(400, 401, 403, 422, 429)
_RANGE = (
    " The period is `from`..`to` (UTC; `to` excluded), at most 366 days; a bad `from`, `to` or `interval` is a "
    "422 naming it. Amounts are integer minor units of each row's currency; totals are per currency."
)

_WHAT = (
    "",
    (
        "Invoiced sales per period, currency, product and publisher (empty: the platform's own plans): "
        "invoices, net, tax, gross. Its gross equals the ledger's sale postings."
    ),
    (
        "Refunds and lost chargebacks per period and currency, from the ledger: how many, the gross given "
        "back, its tax, and the sellers' share of it (what their accounts gave back)."
    ),
    (
        "Processor fees per period and currency: payments, the estimates posted at sale, their true-ups to "
        "the provider's real fee, and the total (the processor fees account's movement)."
    ),
    (
        "Tax per period, currency and jurisdiction (the buyer's country and region as taxed at checkout): "
        "invoiced, credited (credit notes) and collected (the difference). A lost chargeback's tax is in the "
        "refunds report."
    ),
    (
        "Per developer and currency, what is owed (positive) before the period, its movements (sales "
        "credited, given back by refunds and chargebacks, paid out, payouts returned, other) and what is owed"
        " after: the ledger's seller accounts. The interval does not cut it."
    ),
    ("The payables report's rows, then a `total` row per currency."),
    (
        "Orders paid, sale postings and the provider's balance transactions of the period compared; every "
        "difference listed: order_without_sale, sale_without_order, amount_differs, fee_differs, "
        "payment_missing_at_provider, provider_transaction_unknown. Clean books list none."
    ),
    ("One row per difference: kind, reference, currency, expected, found, detail."),
)


class FinancialReportsController(Controller):
    path = "/api/payments/reports"
    tags = ["financial reports"]
    guards = [require(BillingPermission.FINANCE_READ)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/revenue",
        summary="Revenue report",
        responses=_PROBLEMS,
        description=_WHAT[1] + _RANGE,
    )
    async def revenue(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportRevenue],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> FinancialReportResponse:
        return FinancialReportResponse.of(await handler(actor, start, end, interval), start, end, interval)

    @get(
        "/revenue.csv",
        summary="Revenue report as CSV",
        responses={**CSV_ANSWER, **_PROBLEMS},
        description="The revenue report's rows, then a `total` row per currency." + _RANGE,
    )
    async def revenue_csv(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportRevenue],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> Response[str]:
        return csv_response("revenue.csv", report_csv(await handler(actor, start, end, interval)))

    @get(
        "/refunds",
        summary="Refunds and chargebacks report",
        responses=_PROBLEMS,
        description=_WHAT[2] + _RANGE,
    )
    async def refunds(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportRefunds],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> FinancialReportResponse:
        return FinancialReportResponse.of(await handler(actor, start, end, interval), start, end, interval)

    @get(
        "/refunds.csv",
        summary="Refunds and chargebacks report as CSV",
        responses={**CSV_ANSWER, **_PROBLEMS},
        description="The refunds report's rows, then a `total` row per currency." + _RANGE,
    )
    async def refunds_csv(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportRefunds],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> Response[str]:
        return csv_response("refunds.csv", report_csv(await handler(actor, start, end, interval)))

    @get(
        "/fees",
        summary="Processor fees report",
        responses=_PROBLEMS,
        description=_WHAT[3] + _RANGE,
    )
    async def fees(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportFees],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> FinancialReportResponse:
        return FinancialReportResponse.of(await handler(actor, start, end, interval), start, end, interval)

    @get(
        "/fees.csv",
        summary="Processor fees report as CSV",
        responses={**CSV_ANSWER, **_PROBLEMS},
        description="The fees report's rows, then a `total` row per currency." + _RANGE,
    )
    async def fees_csv(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportFees],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> Response[str]:
        return csv_response("fees.csv", report_csv(await handler(actor, start, end, interval)))

    @get(
        "/tax",
        summary="Tax per jurisdiction report",
        responses=_PROBLEMS,
        description=_WHAT[4] + _RANGE,
    )
    async def tax(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportTax],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> FinancialReportResponse:
        return FinancialReportResponse.of(await handler(actor, start, end, interval), start, end, interval)

    @get(
        "/tax.csv",
        summary="Tax per jurisdiction report as CSV",
        responses={**CSV_ANSWER, **_PROBLEMS},
        description="The tax report's rows, then a `total` row per currency." + _RANGE,
    )
    async def tax_csv(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportTax],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> Response[str]:
        return csv_response("tax.csv", report_csv(await handler(actor, start, end, interval)))

    @get(
        "/payables",
        summary="Developer payables and payouts report",
        responses=_PROBLEMS,
        description=_WHAT[5] + _RANGE,
    )
    async def payables(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportPayables],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> FinancialReportResponse:
        return FinancialReportResponse.of(await handler(actor, start, end, interval), start, end, interval)

    @get(
        "/payables.csv",
        summary="Developer payables report as CSV",
        responses={**CSV_ANSWER, **_PROBLEMS},
        description=_WHAT[6] + _RANGE,
    )
    async def payables_csv(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReportPayables],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> Response[str]:
        return csv_response("payables.csv", report_csv(await handler(actor, start, end, interval)))

    @get(
        "/reconciliation",
        summary="Reconciliation of orders, ledger and provider",
        responses=problems(400, 401, 403, 422, 429),
        description=_WHAT[7] + _RANGE,
    )
    async def reconciliation(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReconcilePayments],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> ReconciliationResponse:
        return ReconciliationResponse.of(await handler(actor, start, end, interval))

    @get(
        "/reconciliation.csv",
        summary="Reconciliation as CSV",
        responses={**CSV_ANSWER, **problems(400, 401, 403, 422, 429)},
        description=_WHAT[8] + _RANGE,
    )
    async def reconciliation_csv(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ReconcilePayments],
        start: From,
        end: To,
        interval: Interval = "month",
    ) -> Response[str]:
        return csv_response("reconciliation.csv", reconciliation_csv(await handler(actor, start, end, interval)))
