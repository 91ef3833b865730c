"""A credit note as PDF, naming the invoice it credits."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_lookup import visible_credit_note
from devforge.application.billing.invoice_ports import DocumentReader, InvoiceRenderer
from devforge.application.common.actor import Actor
from devforge.domain.billing.invoice_errors import CreditNoteNotFound


class GetCreditNotePdf:
    def __init__(self, documents: DocumentReader, renderer: InvoiceRenderer) -> None:
        self._documents, self._renderer = documents, renderer

    async def __call__(self, actor: Actor, note_id: UUID) -> tuple[str, bytes]:
        note = await visible_credit_note(self._documents, actor, note_id)
        invoice = await self._documents.invoice(note.invoice_id)
        if invoice is None:
            raise CreditNoteNotFound("No such credit note.")
        return f"{note.number}.pdf", await self._renderer.render_credit_note(note, invoice)
