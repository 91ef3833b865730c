"""Billing's committed reads over the memory store: the same answers as its repositories (the
memory store has no isolation between scopes, so it reads the store as it is)."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.billing import InMemoryCatalogRepository, InMemoryOrderRepository
from devforge.adapters.memory.billing_documents import (
    InMemoryCreditNoteRepository,
    InMemoryInvoiceRepository,
    InMemoryRefundRepository,
)
from devforge.adapters.memory.store import Tables
from devforge.application.billing.invoice_views import InvoiceCursor
from devforge.domain.billing.catalog import CatalogProduct
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.order import Order
from devforge.domain.billing.refund import Refund


class InMemoryProductReader:
    def __init__(self, store: Tables) -> None:
        self._products = InMemoryCatalogRepository(store)

    async def product(self, code: str) -> CatalogProduct | None:
        return await self._products.get_by_code(code)

    async def active_products(self) -> list[CatalogProduct]:
        return await self._products.list_active()


class InMemoryOrderReader:
    def __init__(self, store: Tables) -> None:
        self._orders = InMemoryOrderRepository(store)

    async def order(self, order_id: UUID) -> Order | None:
        return await self._orders.get(order_id)

    async def orders_for(self, user_id: UUID | None, *, limit: int, offset: int) -> list[Order]:
        return await self._orders.list_for_user(user_id, limit=limit, offset=offset)


class InMemoryDocumentReader:
    def __init__(self, store: Tables) -> None:
        self._invoices, self._notes = InMemoryInvoiceRepository(store), InMemoryCreditNoteRepository(store)
        self._refunds = InMemoryRefundRepository(store)

    async def invoice(self, invoice_id: UUID) -> Invoice | None:
        return await self._invoices.get(invoice_id)

    async def invoice_page(self, *, user_id: UUID | None, after: InvoiceCursor | None, limit: int) -> list[Invoice]:
        return await self._invoices.page(user_id=user_id, after=after, limit=limit)

    async def credit_note(self, note_id: UUID) -> CreditNote | None:
        return await self._notes.get(note_id)

    async def credit_notes_for(self, invoice_id: UUID) -> list[CreditNote]:
        return await self._notes.for_invoice(invoice_id)

    async def refunds_for(self, invoice_id: UUID) -> list[Refund]:
        return await self._refunds.for_invoice(invoice_id)

    async def refund(self, refund_id: UUID) -> Refund | None:
        return await self._refunds.get(refund_id)
