"""An invoice as the PDF its buyer keeps (with the credit notes issued against it listed)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_lookup import visible_invoice
from devforge.application.billing.invoice_ports import DocumentReader, InvoiceRenderer
from devforge.application.common.actor import Actor


class GetInvoicePdf:
    def __init__(self, documents: DocumentReader, renderer: InvoiceRenderer) -> None:
        self._documents, self._renderer = documents, renderer

    async def __call__(self, actor: Actor, invoice_id: UUID) -> tuple[str, bytes]:
        """The file name (the invoice number) and the PDF."""
        invoice = await visible_invoice(self._documents, actor, invoice_id)
        pdf = await self._renderer.render_invoice(invoice, await self._documents.credit_notes_for(invoice.id))
        return f"{invoice.number}.pdf", pdf
