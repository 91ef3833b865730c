"""Billing's documents on the memory store: invoices, credit notes, refunds, the ledger and the
document number counters (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.billing.invoice_ports import PaidOrder
from devforge.application.billing.invoice_views import InvoiceCursor
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentSeries
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.invoice_errors import InvoiceAlreadyExists, InvoiceChangedConcurrently
from devforge.domain.billing.ledger import Account, LedgerIdempotencyConflict, LedgerTransaction, balances
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund, RefundStatus

T = TypeVar("T")


def _copy(obj: T) -> T:
    """A copy sharing nothing with the stored one, pending events left behind."""
    clone = copy.deepcopy(obj)
    if hasattr(clone, "__dict__") and "_pending_events" in vars(clone):
        vars(clone)["_pending_events"] = []
    return clone


class InMemoryInvoiceRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Invoice] = store.table("billing_invoices")

    async def add(self, invoice: Invoice) -> None:
        for row in self._rows.values():
            same = invoice.order_id is not None and (row.order_id, row.renewal_of) == (
                invoice.order_id,
                invoice.renewal_of,
            )
            if same or (invoice.number is not None and row.number == invoice.number):
                raise InvoiceAlreadyExists("This order already has an invoice, or the number is taken.")
        self._rows[invoice.id] = _copy(invoice)

    async def get(self, invoice_id: UUID, *, for_update: bool = False) -> Invoice | None:
        row = self._rows.get(invoice_id)
        return _copy(row) if row else None

    async def get_by_order(self, order_id: UUID, *, for_update: bool = False) -> Invoice | None:
        return await self.get_by_renewal(order_id, None)

    async def get_by_renewal(self, order_id: UUID, renewal_of: str | None) -> Invoice | None:
        wanted = (order_id, renewal_of)
        return next((_copy(row) for row in self._rows.values() if (row.order_id, row.renewal_of) == wanted), None)

    async def update(self, invoice: Invoice) -> None:
        stored = self._rows.get(invoice.id)
        if stored is None or stored.version != invoice.version:
            raise InvoiceChangedConcurrently("The invoice changed meanwhile; try again.")
        invoice.version += 1
        self._rows[invoice.id] = _copy(invoice)

    async def page(self, *, user_id: UUID | None, after: InvoiceCursor | None, limit: int) -> list[Invoice]:
        rows = [row for row in self._rows.values() if row.is_issued and (user_id is None or row.user_id == user_id)]
        rows.sort(key=lambda row: (row.created_at, row.id.int), reverse=True)
        if after is not None:
            rows = [row for row in rows if (row.created_at, row.id.int) < (after.created_at, after.id.int)]
        return [_copy(row) for row in rows[:limit]]


class InMemoryCreditNoteRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, CreditNote] = store.table("billing_credit_notes")

    async def add(self, note: CreditNote) -> None:
        self._rows[note.id] = note

    async def get(self, note_id: UUID) -> CreditNote | None:
        return self._rows.get(note_id)

    async def for_invoice(self, invoice_id: UUID) -> list[CreditNote]:
        notes = [row for row in self._rows.values() if row.invoice_id == invoice_id]
        return sorted(notes, key=lambda note: note.number)


class InMemoryRefundRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Refund] = store.table("billing_refunds")

    async def add(self, refund: Refund) -> None:
        self._rows[refund.id] = _copy(refund)

    async def get(self, refund_id: UUID) -> Refund | None:
        row = self._rows.get(refund_id)
        return _copy(row) if row else None

    async def update(self, refund: Refund) -> None:
        self._rows[refund.id] = _copy(refund)

    async def for_invoice(self, invoice_id: UUID) -> list[Refund]:
        rows = [row for row in self._rows.values() if row.invoice_id == invoice_id]
        return [_copy(row) for row in sorted(rows, key=lambda row: (row.requested_at, row.id.int))]

    async def unknown(self, *, limit: int) -> list[Refund]:
        rows = [row for row in self._rows.values() if row.status is RefundStatus.UNKNOWN]
        return [_copy(row) for row in sorted(rows, key=lambda row: (row.requested_at, row.id.int))[:limit]]


class InMemoryLedgerRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[str, LedgerTransaction] = store.table("billing_ledger_transactions")

    async def post(self, transaction: LedgerTransaction) -> bool:
        known = self._rows.get(transaction.idempotency_id)
        if known is not None:
            if not known.same_movement_as(transaction):
                raise LedgerIdempotencyConflict(f"{transaction.idempotency_id} already posted another movement.")
            return False
        self._rows[transaction.idempotency_id] = transaction
        return True

    async def get(self, idempotency_id: str) -> LedgerTransaction | None:
        return self._rows.get(idempotency_id)

    async def balances(self, currency: Currency) -> dict[Account, Money]:
        return balances(list(self._rows.values()), currency)

    async def transactions(self, currency: Currency) -> list[LedgerTransaction]:
        return [row for row in self._rows.values() if row.currency == currency]


class InMemoryDocumentNumberSequence:
    """One test at a time: the memory store has no concurrent transactions to lock against."""

    def __init__(self, store: Tables) -> None:
        self._rows: dict[str, int] = store.table("billing_document_counters")

    async def next(self, series: DocumentSeries) -> int:
        self._rows[series.value] = self._rows.get(series.value, 0) + 1
        return self._rows[series.value]


class InMemoryPaidOrders:
    """A stand-in for the orders' side in tests: paid orders by id, and the refunded totals told
    (not transactional: a test reads what the use case told it)."""

    def __init__(self) -> None:
        self._rows: dict[UUID, PaidOrder] = {}
        self.refunded: dict[UUID, Money] = {}

    def add(self, order: PaidOrder) -> None:
        self._rows[order.order_id] = order

    async def get(self, order_id: UUID) -> PaidOrder | None:
        return self._rows.get(order_id)

    async def refunded_total(self, order_id: UUID) -> Money | None:
        order = self._rows.get(order_id)
        if order is None:
            return None
        return self.refunded.get(order_id, Money.zero(order.currency))

    def provider_refunded(self, order_id: UUID, total_refunded: Money) -> None:
        """What the provider's ``charge.refunded`` does to the order (a refund made outside our API)."""
        self.refunded[order_id] = total_refunded

    async def refunded_to(self, order_id: UUID, total_refunded: Money, now: datetime) -> None:
        known = self.refunded.get(order_id)
        if known is None or total_refunded > known:
            self.refunded[order_id] = total_refunded
