"""A paid order's invoice, numbered now: what the purchase and each renewal invoice share."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from devforge.application.billing.invoice_ports import DocumentNumberSequence, PaidOrder, Seller
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice


async def paid_invoice(
    order: PaidOrder,
    *,
    seller: Seller,
    numbers: DocumentNumberSequence,
    now: datetime,
    payment_id: str | None,
    paid_at: datetime,
    notes: tuple[str, ...],
    refund_window_ends_at: datetime | None = None,
    renewal_of: str | None = None,
) -> Invoice:
    """Takes the next number of the invoice series (in the caller's transaction), finalizes and
    marks the invoice paid; the caller stores it."""
    sequence = await numbers.next(DocumentSeries.INVOICE)
    invoice = Invoice(
        id=uuid4(),
        user_id=order.user_id,
        order_id=order.order_id,
        currency=order.currency,
        seller=seller.party,
        buyer=order.buyer,
        lines=order.lines,
        created_at=now,
        prices_include_tax=order.prices_include_tax,
        refund_window_ends_at=refund_window_ends_at,
        notes=notes,
        renewal_of=renewal_of,
    )
    invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, now.year, sequence), now)
    invoice.mark_paid(payment_id, paid_at)
    return invoice
