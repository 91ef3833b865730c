"""Finding a document the actor may see: its own, or any with ``billing:admin``. Someone else's
answers exactly like a missing one (404), so ids cannot be probed. Plain reads of committed
documents (``DocumentReader``: no unit of work)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_ports import DocumentReader
from devforge.application.billing.invoice_views import InvoiceView
from devforge.application.common.actor import Actor
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.invoice_errors import CreditNoteNotFound, InvoiceNotFound
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.refund import refundable


async def visible_invoice(documents: DocumentReader, actor: Actor, invoice_id: UUID) -> Invoice:
    invoice = await documents.invoice(invoice_id)
    if invoice is None or not invoice.is_issued or not actor.owns_or_may(invoice.user_id, BillingPermission.ADMIN):
        raise InvoiceNotFound("No such invoice.")
    return invoice


async def visible_credit_note(documents: DocumentReader, actor: Actor, note_id: UUID) -> CreditNote:
    note = await documents.credit_note(note_id)
    if note is None or not actor.owns_or_may(note.user_id, BillingPermission.ADMIN):
        raise CreditNoteNotFound("No such credit note.")
    return note


async def invoice_view(invoice: Invoice, documents: DocumentReader) -> InvoiceView:
    credit_notes = tuple(await documents.credit_notes_for(invoice.id))
    left = refundable(invoice.total.gross, await documents.refunds_for(invoice.id))
    return InvoiceView(invoice=invoice, credit_notes=credit_notes, refundable=left)
