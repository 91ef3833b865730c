"""List invoices newest first, a page at a time (keyset): a customer sees their own, an admin all."""

from __future__ import annotations

from devforge.application.billing.invoice_ports import DocumentReader
from devforge.application.billing.invoice_views import InvoiceCursor
from devforge.application.common.actor import Actor
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.permissions import BillingPermission

MAX_PAGE = 100


class ListInvoices:
    def __init__(self, documents: DocumentReader) -> None:
        self._documents = documents

    async def __call__(
        self, actor: Actor, *, after: InvoiceCursor | None = None, limit: int = 20
    ) -> tuple[list[Invoice], InvoiceCursor | None]:
        """The page and the cursor of the next one (None on the last page)."""
        size = max(1, min(limit, MAX_PAGE))
        owner = None if actor.may(BillingPermission.ADMIN) else actor.user_id
        rows = await self._documents.invoice_page(user_id=owner, after=after, limit=size + 1)
        page = rows[:size]
        more = len(rows) > size
        return page, InvoiceCursor(page[-1].created_at, page[-1].id) if more and page else None
