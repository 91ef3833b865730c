"""Finding a document the actor may see: its own, or any with ``billing:admin``. Someone else's
answers exactly like a missing one (404), so ids cannot be probed."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_ports import CreditNoteRepository, InvoiceRepository, RefundRepository
from devforge.application.billing.invoice_views import InvoiceView
from devforge.application.common.actor import Actor
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.invoice_errors import CreditNoteNotFound, InvoiceNotFound
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.refund import refundable


async def visible_invoice(invoices: InvoiceRepository, actor: Actor, invoice_id: UUID) -> Invoice:
    invoice = await invoices.get(invoice_id)
    if invoice is None or not invoice.is_issued or not actor.owns_or_may(invoice.user_id, BillingPermission.ADMIN):
        raise InvoiceNotFound("No such invoice.")
    return invoice


async def visible_credit_note(notes: CreditNoteRepository, actor: Actor, note_id: UUID) -> CreditNote:
    note = await notes.get(note_id)
    if note is None or not actor.owns_or_may(note.user_id, BillingPermission.ADMIN):
        raise CreditNoteNotFound("No such credit note.")
    return note


async def invoice_view(invoice: Invoice, notes: CreditNoteRepository, refunds: RefundRepository) -> InvoiceView:
    credit_notes = tuple(await notes.for_invoice(invoice.id))
    left = refundable(invoice.total.gross, await refunds.for_invoice(invoice.id))
    return InvoiceView(invoice=invoice, credit_notes=credit_notes, refundable=left)
