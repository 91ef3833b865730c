"""``/api/payments/tax-reports``: finance's year-end reports (``finance:read``, administrative:
an admin's or a finance account's session with two-factor, never a key), and
``/api/payments/service-payments``: a billing admin records what the platform owes a publisher
for services (the only payments Form 1099-NEC reports)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, PathParameter
from litestar.status_codes import HTTP_201_CREATED
from msgspec import Meta

from devforge.application.billing.export_tax_reports import ExportTaxReport
from devforge.application.billing.get_tax_form_pdf import GetTaxFormPdf
from devforge.application.billing.record_service_payment import RecordServicePayment, RecordServicePaymentHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.ledger import Account
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.tax_errors import PayeeNotFound
from devforge.domain.billing.tax_reports import TaxReport
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.documents_controller import PDF_ANSWER, pdf_response
from devforge.entrypoints.http.billing.extension_prices_schemas import Currency
from devforge.entrypoints.http.billing.schemas import Minor
from devforge.entrypoints.http.billing.statements_controller import CSV, CSV_ANSWER, csv_response
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import MAX_INT, NO_CONTROL_CHARACTERS, CamelStruct

FINANCE = [require(BillingPermission.FINANCE_READ)]
_YEAR = Annotated[
    int, PathParameter(description="The tax year (thresholds are on file for 2025 and 2026)", ge=1900, le=2999)
]
_PDF_FILE = Annotated[
    str,
    PathParameter(description="`<publisher id>.pdf`", pattern=r"^[0-9a-fA-F-]{32,36}\.pdf$", max_length=40),
]
_ABOUT = (
    " Payees are the publishers with a tax profile; figures come from the ledger's `seller_payable:<publisher>` "
    "account over the calendar year (UTC) and the orders' lines. TINs appear masked only. Layouts: architecture.md, "
    '"Tax profiles and year-end reports". An unknown tax year is 404 `tax_year_unknown`.'
)


class TaxReportsController(Controller):
    path = "/api/payments/tax-reports"
    tags = ["payments"]
    guards = FINANCE
    dependencies = GRANTED
    security = BEARER

    @get(
        "/{year:int}/1099-k.csv",
        summary="Export Form 1099-K figures (CSV)",
        description=(
            "US payees (a W-9) with gross payments over the year's threshold and more transactions than its "
            "count (2026: more than $20,000 and more than 200): box 1a gross, box 3 transactions, box 4 tax "
            "withheld, boxes 5a-5l per month, in USD." + _ABOUT
        ),
        media_type=CSV,
        responses=CSV_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def form_1099k(
        self, year: _YEAR, actor: NamedDependency[Actor], handler: FromDishka[ExportTaxReport]
    ) -> Response[str]:
        return csv_response(*await handler(actor, year, TaxReport.FORM_1099K))

    @get(
        "/{year:int}/1099-nec.csv",
        summary="Export Form 1099-NEC figures (CSV)",
        description=(
            "US payees paid for services (admin-recorded service payments) at least the year's threshold "
            "(2026: $2,000): box 1 nonemployee compensation, box 4 tax withheld (when no 1099-K carries it)." + _ABOUT
        ),
        media_type=CSV,
        responses=CSV_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def form_1099nec(
        self, year: _YEAR, actor: NamedDependency[Actor], handler: FromDishka[ExportTaxReport]
    ) -> Response[str]:
        return csv_response(*await handler(actor, year, TaxReport.FORM_1099NEC))

    @get(
        "/{year:int}/dac7.csv",
        summary="Export the DAC7 report (CSV)",
        description=(
            "Sellers resident in an EU member state (their W-8's country), unless they had fewer than 30 sales and "
            "less than EUR 2,000 of consideration in the year: activities, consideration and fees, in total and "
            "per quarter, in EUR." + _ABOUT
        ),
        media_type=CSV,
        responses=CSV_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def dac7(
        self, year: _YEAR, actor: NamedDependency[Actor], handler: FromDishka[ExportTaxReport]
    ) -> Response[str]:
        return csv_response(*await handler(actor, year, TaxReport.DAC7))

    @get(
        "/{year:int}/1099-k/{file:str}",
        summary="Download a payee's Form 1099-K copy (PDF)",
        description="The payee's copy (Copy B) of its Form 1099-K; 404 when it is not reportable that year." + _ABOUT,
        media_type="application/pdf",
        responses=PDF_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def form_1099k_pdf(
        self, year: _YEAR, file: _PDF_FILE, actor: NamedDependency[Actor], handler: FromDishka[GetTaxFormPdf]
    ) -> Response[bytes]:
        return pdf_response(*await handler(actor, year, TaxReport.FORM_1099K, _publisher(file)))

    @get(
        "/{year:int}/1099-nec/{file:str}",
        summary="Download a payee's Form 1099-NEC copy (PDF)",
        description="The payee's copy (Copy B) of its Form 1099-NEC; 404 when it is not reportable that year." + _ABOUT,
        media_type="application/pdf",
        responses=PDF_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def form_1099nec_pdf(
        self, year: _YEAR, file: _PDF_FILE, actor: NamedDependency[Actor], handler: FromDishka[GetTaxFormPdf]
    ) -> Response[bytes]:
        return pdf_response(*await handler(actor, year, TaxReport.FORM_1099NEC, _publisher(file)))


def _publisher(file: str) -> UUID:
    try:
        return UUID(file.removesuffix(".pdf"))
    except ValueError:
        raise PayeeNotFound("No payee has this id.") from None


class ServicePaymentBody(CamelStruct):
    payment_id: Annotated[UUID, Meta(description="Chosen by you: the same id again records nothing twice")]
    publisher_id: UUID
    amount: Annotated[Minor, Meta(ge=1, le=MAX_INT)]
    currency: Currency
    description: Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=1, max_length=200)]


class ServicePaymentResponse(CamelStruct):
    payment_id: UUID
    publisher_id: UUID
    amount: Minor
    currency: str
    description: str
    posted_at: datetime


class ServicePaymentsController(Controller):
    path = "/api/payments/service-payments"
    tags = ["payments"]

    @post(
        "",
        status_code=HTTP_201_CREATED,
        guards=[require(BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Record a payment for services",
        description=(
            "A billing admin (two-factor) records what the platform owes a publisher for services rendered to the "
            "platform (not for sales of its extensions): the ledger credits the publisher's payable account "
            "(`services:<paymentId>`), the next payout pays it, and Form 1099-NEC reports it. The same `paymentId` "
            "again changes nothing; with another amount it is 409 `ledger_idempotency_conflict`. An unknown "
            "publisher is 404."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def record(
        self,
        data: Annotated[
            ServicePaymentBody,
            Body(
                examples=[
                    Example(
                        summary="A commissioned port",
                        value={
                            "paymentId": "0b6f7f0e-4a4f-4e8e-9d0e-6f3c2a1b9e11",
                            "publisherId": "6f1c1c3e-8a7b-4d55-9a53-0b9d7c2f1e10",
                            "amount": 250000,
                            "currency": "USD",
                            "description": "Port of the Forge theme to the new editor",
                        },
                    )
                ]
            ),
        ],
        actor: NamedDependency[Actor],
        handler: FromDishka[RecordServicePaymentHandler],
    ) -> ServicePaymentResponse:
        command = RecordServicePayment(data.payment_id, data.publisher_id, data.amount, data.currency, data.description)
        posted = await handler(actor, command)
        credit = next(e.amount for e in posted.entries if e.account == Account.seller_payable(data.publisher_id))
        description = posted.description.removeprefix("Services: ")
        return ServicePaymentResponse(
            data.payment_id,
            data.publisher_id,
            -credit.amount_minor,
            credit.currency.code,
            description,
            posted.occurred_at,
        )
