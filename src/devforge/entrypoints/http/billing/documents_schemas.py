"""Bodies of the invoice, credit-note and refund routes. Amounts are integer minor units of the
document's currency (``11900`` EUR is 119.00 EUR), with the currency's exponent alongside so a
client can format them; never floats."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.invoice_views import InvoiceCursor, InvoiceView, RefundView
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice, Party
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.shared.errors import RuleViolated
from devforge.entrypoints.http.schemas import MAX_INT, MULTILINE, CamelStruct

Minor = Annotated[int, Meta(description="Integer minor units of the currency", examples=[11900])]
INVOICE_NUMBER = "DF-2026-000123"
CREDIT_NOTE_NUMBER = "CN-2026-000001"


class InvoiceCursorMalformed(RuleViolated):
    code = "invoice_cursor_malformed"


def encode_cursor(cursor: InvoiceCursor | None) -> str | None:
    if cursor is None:
        return None
    return base64.urlsafe_b64encode(f"{cursor.created_at.isoformat()}|{cursor.id}".encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> InvoiceCursor | None:
    """The ``after`` of the previous page's ``next``; anything else is the caller's mistake (422)."""
    if not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        created_at, _, invoice_id = raw.partition("|")
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return InvoiceCursor(moment, UUID(invoice_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvoiceCursorMalformed("Pass the `next` of the previous page as `after`.", field="after") from None


def _rate(rate: Rate | None) -> str | None:
    return None if rate is None else str(rate).removesuffix(" %")


class Amounts(CamelStruct):
    net: Minor
    tax: Minor
    gross: Minor

    @classmethod
    def of(cls, amounts: TaxedAmount) -> Amounts:
        return cls(amounts.net.amount_minor, amounts.tax.amount_minor, amounts.gross.amount_minor)


class PartyResponse(CamelStruct):
    name: Annotated[str, Meta(examples=["Dev Forge Services GmbH"])]
    email: str
    address: list[str]
    country: str | None
    vat_id: str | None

    @classmethod
    def of(cls, party: Party) -> PartyResponse:
        return cls(party.name, party.email, list(party.address), party.country, party.vat_id)


class InvoiceLineResponse(CamelStruct):
    description: Annotated[str, Meta(examples=["Dev Forge Pro (yearly)"])]
    product_code: str | None
    quantity: int
    unit_amount: Minor
    tax_rate_percent: Annotated[str | None, Meta(examples=["19"], description="Exact, as a decimal string")]
    amounts: Amounts


class RateSubtotalResponse(CamelStruct):
    tax_rate_percent: Annotated[str | None, Meta(examples=["19"])]
    amounts: Amounts


class CreditNoteSummary(CamelStruct):
    id: UUID
    number: Annotated[str, Meta(examples=[CREDIT_NOTE_NUMBER])]
    issued_at: datetime
    total: Minor


class InvoiceSummary(CamelStruct):
    id: UUID
    number: Annotated[str, Meta(examples=[INVOICE_NUMBER])]
    status: Annotated[str, Meta(examples=["paid"], description="finalized, paid or void")]
    order_id: UUID | None
    currency: Annotated[str, Meta(examples=["EUR"])]
    currency_exponent: Annotated[int, Meta(examples=[2], description="Minor units per major unit: 10^exponent")]
    issued_at: datetime
    total: Amounts

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceSummary:
        assert invoice.issued_at is not None
        return cls(
            id=invoice.id,
            number=str(invoice.number),
            status=invoice.status.value,
            order_id=invoice.order_id,
            currency=invoice.currency.code,
            currency_exponent=invoice.currency.exponent,
            issued_at=invoice.issued_at,
            total=Amounts.of(invoice.total),
        )


class InvoicePage(CamelStruct):
    items: list[InvoiceSummary]
    next: Annotated[str | None, Meta(description="Pass as `after` for the next page; null on the last page")]


class InvoiceResponse(CamelStruct):
    id: UUID
    number: Annotated[str, Meta(examples=[INVOICE_NUMBER])]
    status: Annotated[str, Meta(examples=["paid"])]
    order_id: UUID | None
    user_id: UUID
    currency: Annotated[str, Meta(examples=["EUR"])]
    currency_exponent: int
    prices_include_tax: bool
    issued_at: datetime
    paid_at: datetime | None
    voided_at: datetime | None
    refund_window_ends_at: datetime | None
    seller: PartyResponse
    buyer: PartyResponse
    lines: list[InvoiceLineResponse]
    tax_by_rate: list[RateSubtotalResponse]
    total: Amounts
    refundable: Annotated[int, Meta(description="Gross minor units that may still be refunded", examples=[11900])]
    notes: list[str]
    credit_notes: list[CreditNoteSummary]

    @classmethod
    def of(cls, view: InvoiceView) -> InvoiceResponse:
        invoice = view.invoice
        assert invoice.issued_at is not None
        lines = [
            InvoiceLineResponse(
                description=line.description,
                product_code=line.product_code,
                quantity=line.quantity,
                unit_amount=line.unit_amount.amount_minor,
                tax_rate_percent=_rate(line.tax_rate),
                amounts=Amounts.of(amounts),
            )
            for line, amounts in zip(invoice.lines, invoice.amounts, strict=True)
        ]
        return cls(
            id=invoice.id,
            number=str(invoice.number),
            status=invoice.status.value,
            order_id=invoice.order_id,
            user_id=invoice.user_id,
            currency=invoice.currency.code,
            currency_exponent=invoice.currency.exponent,
            prices_include_tax=invoice.prices_include_tax,
            issued_at=invoice.issued_at,
            paid_at=invoice.paid_at,
            voided_at=invoice.voided_at,
            refund_window_ends_at=invoice.refund_window_ends_at,
            seller=PartyResponse.of(invoice.seller),
            buyer=PartyResponse.of(invoice.buyer),
            lines=lines,
            tax_by_rate=[RateSubtotalResponse(_rate(s.rate), Amounts.of(s.amounts)) for s in invoice.by_rate],
            total=Amounts.of(invoice.total),
            refundable=view.refundable.amount_minor,
            notes=list(invoice.notes),
            credit_notes=[
                CreditNoteSummary(n.id, str(n.number), n.issued_at, n.total.gross.amount_minor)
                for n in view.credit_notes
            ],
        )


class CreditNoteResponse(CamelStruct):
    id: UUID
    number: Annotated[str, Meta(examples=[CREDIT_NOTE_NUMBER])]
    invoice_id: UUID
    order_id: UUID | None
    refund_id: UUID | None
    currency: Annotated[str, Meta(examples=["EUR"])]
    currency_exponent: int
    issued_at: datetime
    reason: str
    lines: Annotated[list[Amounts], Meta(description="Line i credits line i of the invoice")]
    total: Amounts

    @classmethod
    def of(cls, note: CreditNote) -> CreditNoteResponse:
        return cls(
            id=note.id,
            number=str(note.number),
            invoice_id=note.invoice_id,
            order_id=note.order_id,
            refund_id=note.refund_id,
            currency=note.currency.code,
            currency_exponent=note.currency.exponent,
            issued_at=note.issued_at,
            reason=note.reason,
            lines=[Amounts.of(line) for line in note.lines],
            total=Amounts.of(note.total),
        )


class RefundRequestBody(CamelStruct):
    order_id: UUID
    amount: (
        Annotated[
            int,
            Meta(ge=1, le=MAX_INT, examples=[2500], description="Gross minor units; omit to refund all that remains"),
        ]
        | None
    ) = None
    reason: Annotated[str, MULTILINE, Meta(max_length=500, examples=["Bought the wrong plan"])] = ""


class RefundResponse(CamelStruct):
    id: UUID
    order_id: UUID | None
    status: Annotated[
        str,
        Meta(
            examples=["succeeded"],
            description="succeeded or pending: money is going back, with a credit note; failed: nothing was "
            "refunded; unknown: the provider did not answer yet, it is asked again later",
        ),
    ]
    amount: Minor
    currency: Annotated[str, Meta(examples=["EUR"])]
    credit_note: CreditNoteSummary | None

    @classmethod
    def of(cls, view: RefundView) -> RefundResponse:
        refund, note = view.refund, view.credit_note
        summary = (
            CreditNoteSummary(note.id, str(note.number), note.issued_at, note.total.gross.amount_minor)
            if note
            else None
        )
        return cls(
            refund.id,
            refund.order_id,
            refund.status.value,
            refund.amount.amount_minor,
            refund.amount.currency.code,
            summary,
        )
