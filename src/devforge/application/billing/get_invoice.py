"""Show one invoice with its credit notes and what remains refundable: its buyer or an admin."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_lookup import invoice_view, visible_invoice
from devforge.application.billing.invoice_ports import DocumentReader
from devforge.application.billing.invoice_views import InvoiceView
from devforge.application.common.actor import Actor


class GetInvoice:
    def __init__(self, documents: DocumentReader) -> None:
        self._documents = documents

    async def __call__(self, actor: Actor, invoice_id: UUID) -> InvoiceView:
        invoice = await visible_invoice(self._documents, actor, invoice_id)
        return await invoice_view(invoice, self._documents)
