"""``/api/payments``: invoices and credit notes (JSON and PDF), and refunds.

A customer reads their own documents; an admin (with a session, never a key) reads everyone's.
Someone else's document answers exactly like a missing one (404), so ids cannot be probed. A
refund is the admin's any time, or the customer's within the product's refund window."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from devforge.application.billing.get_credit_note import GetCreditNote
from devforge.application.billing.get_credit_note_pdf import GetCreditNotePdf
from devforge.application.billing.get_invoice import GetInvoice
from devforge.application.billing.get_invoice_pdf import GetInvoicePdf
from devforge.application.billing.list_invoices import MAX_PAGE, ListInvoices
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.billing.documents_schemas import (
    CreditNoteResponse,
    InvoicePage,
    InvoiceResponse,
    InvoiceSummary,
    RefundRequestBody,
    RefundResponse,
    decode_cursor,
    encode_cursor,
)
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN

PDF = "application/pdf"
PDF_ANSWER = {
    200: ResponseSpec(
        data_container=bytes, media_type=PDF, description="The document as a PDF file", generate_examples=False
    )
}


def pdf_response(name: str, pdf: bytes) -> Response[bytes]:
    return Response(pdf, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{name}"'})


class PaymentDocumentsController(Controller):
    path = "/api/payments"
    tags = ["payments"]

    @get(
        "/invoices",
        guards=[require(BillingPermission.INVOICES_READ_OWN, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="List invoices",
        description=(
            "Your invoices, newest first (an admin's session lists everyone's). Pages by keyset: pass the "
            "previous page's `next` as `after`."
        ),
        responses=problems(400, 401, 403, 422, 429),
    )
    async def list_invoices(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ListInvoices],
        after: Annotated[
            str | None,
            QueryParameter(pattern=LINE_PATTERN, max_length=200, description="The `next` of the previous page"),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Invoices per page")] = 20,
    ) -> InvoicePage:
        page, cursor = await handler(actor, after=decode_cursor(after), limit=limit)
        return InvoicePage(items=[InvoiceSummary.of(invoice) for invoice in page], next=encode_cursor(cursor))

    @get(
        "/invoices/{invoice_id:uuid}",
        guards=[require(BillingPermission.INVOICES_READ_OWN, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Show an invoice",
        description=(
            "Seller and buyer, number and dates, lines with their tax, tax per rate, totals, the credit notes "
            "issued against it and what remains refundable. Someone else's invoice answers 404."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def show_invoice(
        self,
        invoice_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetInvoice],
    ) -> InvoiceResponse:
        return InvoiceResponse.of(await handler(actor, invoice_id))

    @get(
        "/invoices/{invoice_id:uuid}/pdf",
        guards=[require(BillingPermission.INVOICES_READ_OWN, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Download an invoice as PDF",
        description="The invoice as a PDF document, named by its number. Someone else's invoice answers 404.",
        media_type=PDF,
        responses=PDF_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def invoice_pdf(
        self,
        invoice_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetInvoicePdf],
    ) -> Response[bytes]:
        return pdf_response(*await handler(actor, invoice_id))

    @get(
        "/credit-notes/{credit_note_id:uuid}",
        guards=[require(BillingPermission.INVOICES_READ_OWN, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Show a credit note",
        description="What a refund credited, line by line against its invoice. Someone else's answers 404.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def show_credit_note(
        self,
        credit_note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetCreditNote],
    ) -> CreditNoteResponse:
        return CreditNoteResponse.of(await handler(actor, credit_note_id))

    @get(
        "/credit-notes/{credit_note_id:uuid}/pdf",
        guards=[require(BillingPermission.INVOICES_READ_OWN, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Download a credit note as PDF",
        description="The credit note as a PDF document, named by its number. Someone else's answers 404.",
        media_type=PDF,
        responses=PDF_ANSWER | problems(400, 401, 403, 404, 429),
    )
    async def credit_note_pdf(
        self,
        credit_note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[GetCreditNotePdf],
    ) -> Response[bytes]:
        return pdf_response(*await handler(actor, credit_note_id))

    @post(
        "/refund",
        status_code=HTTP_201_CREATED,
        guards=[require(BillingPermission.REFUNDS_REQUEST, override=BillingPermission.ADMIN)],
        dependencies=GRANTED,
        security=BEARER,
        summary="Refund an order",
        description=(
            "All that remains refundable, or `amount` (gross minor units) of it: an admin any time, the "
            "customer within the product's refund window (403 `refund_window_closed` after). More than "
            "remains is 422 `refund_exceeds_remaining`, concurrent refunds included. Money going back gets "
            "a numbered credit note. Honours `Idempotency-Key`. Someone else's order answers 404."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def refund(
        self,
        data: JSONBody[RefundRequestBody],
        actor: NamedDependency[Actor],
        handler: FromDishka[RefundOrderHandler],
    ) -> RefundResponse:
        command = RefundOrder(order_id=data.order_id, amount=data.amount, reason=data.reason)
        return RefundResponse.of(await handler(actor, command))
