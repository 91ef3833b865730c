"""List invoices newest first, a page at a time (keyset): a customer sees their own, an admin all."""

from __future__ import annotations

from devforge.application.billing.invoice_ports import InvoiceCursor, InvoiceRepository
from devforge.application.billing.invoice_views import DocumentReader
from devforge.domain.billing.invoice import Invoice

MAX_PAGE = 100


class ListInvoices:
    def __init__(self, invoices: InvoiceRepository) -> None:
        self._invoices = invoices

    async def __call__(
        self, reader: DocumentReader, *, after: InvoiceCursor | None = None, limit: int = 20
    ) -> tuple[list[Invoice], InvoiceCursor | None]:
        """The page and the cursor of the next one (None on the last page)."""
        size = max(1, min(limit, MAX_PAGE))
        owner = None if reader.is_admin else reader.user_id
        rows = await self._invoices.page(user_id=owner, after=after, limit=size + 1)
        page = rows[:size]
        more = len(rows) > size
        return page, InvoiceCursor(page[-1].created_at, page[-1].id) if more and page else None
