"""``/api/payments/statements``: a publisher's monthly statements (JSON, CSV and PDF).

The publisher's owner reads its statements with ``extensions:sell`` (a session, never a key); a
billing admin (two-factor) reads anyone's. Someone else's publisher answers 404 like a missing
one."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, PathParameter, QueryParameter

from devforge.application.billing.get_statement import GetStatement
from devforge.application.billing.get_statement_csv import GetStatementCsv
from devforge.application.billing.get_statement_pdf import GetStatementPdf
from devforge.application.billing.list_statements import ListStatements
from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.documents_controller import PDF_ANSWER, pdf_response
from devforge.entrypoints.http.billing.statements_schemas import PublisherStatements, StatementList, StatementResponse
from devforge.entrypoints.http.openapi_docs import problems

CSV = "text/csv; charset=utf-8"
CSV_ANSWER = {
    200: ResponseSpec(data_container=str, media_type=CSV, description="The statement as CSV", generate_examples=False)
}
SELLS = [require(BillingPermission.EXTENSIONS_SELL, override=BillingPermission.ADMIN)]
_MONTH = Annotated[str, PathParameter(description="The month, `YYYY-MM` (UTC)", pattern=r"^\d{4}-\d{2}$")]
Currency = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[A-Za-z]{3}$",
        description="ISO 4217 code; needed only when the publisher has sold in several currencies",
    ),
]
_PAGE = (
    "Opening balance, sales (your share), refunds, chargebacks, fees (none: the platform pays the processor's fees "
    "out of its commission), commission, tax withheld, adjustments, payouts and closing balance, then a line per "
    "ledger transaction (date, kind, order or reference, extensions, gross, commission, fees, your amount). Every "
    "figure comes from the ledger's account of the publisher: the opening balance is its balance before the month, "
    "the closing balance after it. Someone else's publisher answers 404."
)


def csv_response(name: str, text: str) -> Response[str]:
    return Response(text, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{name}"'})


class StatementsController(Controller):
    path = "/api/payments/statements"
    tags = ["payments"]
    guards = SELLS
    dependencies = GRANTED
    security = BEARER

    @get(
        "/",
        summary="List statements",
        description=(
            "The months (and currencies) with a statement, newest first, with links to each as JSON, CSV and PDF: "
            "for `publisherId`, or for every publisher you own. Someone else's publisher answers 404."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def list_statements(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListStatements],
        publisher_id: Annotated[
            UUID | None, QueryParameter(name="publisherId", description="One publisher (default: all yours)")
        ] = None,
    ) -> StatementList:
        return StatementList([PublisherStatements.of(found) for found in await handler(actor, publisher_id)])

    @get(
        "/{publisher_id:uuid}/{month:str}",
        summary="Show a monthly statement",
        description=_PAGE,
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def show_statement(
        self,
        publisher_id: FromPath[UUID],
        month: _MONTH,
        actor: NamedDependency[Actor],
        handler: FromDishka[GetStatement],
        currency: Currency = None,
    ) -> StatementResponse:
        return StatementResponse.of(await handler(actor, publisher_id, month, currency))

    @get(
        "/{publisher_id:uuid}/{month:str}/csv",
        summary="Download a monthly statement as CSV",
        description=(
            "Columns: date, kind, reference, order_id, extensions, currency, gross, commission, fees, tax_withheld, "
            "payout, amount (major units, e.g. `12.34`; negative lowers what you are owed); then summary rows "
            "(opening_balance ... closing_balance) with their figure in `amount`. " + _PAGE
        ),
        media_type=CSV,
        responses=CSV_ANSWER | problems(400, 401, 403, 404, 422, 429),
    )
    async def statement_csv(
        self,
        publisher_id: FromPath[UUID],
        month: _MONTH,
        actor: NamedDependency[Actor],
        handler: FromDishka[GetStatementCsv],
        currency: Currency = None,
    ) -> Response[str]:
        return csv_response(*await handler(actor, publisher_id, month, currency))

    @get(
        "/{publisher_id:uuid}/{month:str}/pdf",
        summary="Download a monthly statement as PDF",
        description=_PAGE,
        media_type="application/pdf",
        responses=PDF_ANSWER | problems(400, 401, 403, 404, 422, 429),
    )
    async def statement_pdf(
        self,
        publisher_id: FromPath[UUID],
        month: _MONTH,
        actor: NamedDependency[Actor],
        handler: FromDishka[GetStatementPdf],
        currency: Currency = None,
    ) -> Response[bytes]:
        return pdf_response(*await handler(actor, publisher_id, month, currency))
