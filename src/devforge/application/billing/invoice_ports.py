"""Ports of billing's documents: invoices, credit notes, refunds, the ledger and numbering.

The repositories and the sequence are transactional: they join the unit of work, so a document,
its number, its refund and its ledger postings are stored together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.application.billing.invoice_views import InvoiceCursor
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentSeries
from devforge.domain.billing.invoice import Invoice, InvoiceLine, Party
from devforge.domain.billing.ledger import Account, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund
from devforge.domain.billing.seller_shares import SellerLine


class InvoiceRepository(Protocol):
    async def add(self, invoice: Invoice) -> None:
        """Raises ``InvoiceAlreadyExists`` when the order already has an invoice for this purchase
        or renewal (``renewal_of``), or the number is taken."""
        ...

    async def get(self, invoice_id: UUID, *, for_update: bool = False) -> Invoice | None:
        """``for_update`` locks the invoice row: refunds of one invoice are serialized on it."""
        ...

    async def get_by_order(self, order_id: UUID, *, for_update: bool = False) -> Invoice | None:
        """The order's purchase invoice (not a renewal's)."""
        ...

    async def get_by_renewal(self, order_id: UUID, renewal_of: str) -> Invoice | None:
        """The invoice of a subscription's renewal, by the provider's invoice of that period."""
        ...

    async def update(self, invoice: Invoice) -> None:
        """Stores the status facts (paid, void) and bumps ``version``; raises
        ``InvoiceChangedConcurrently`` when another transaction stored it since it was read."""
        ...

    async def page(self, *, user_id: UUID | None, after: InvoiceCursor | None, limit: int) -> list[Invoice]:
        """Newest first; ``user_id`` None means everyone's (admins)."""
        ...


class CreditNoteRepository(Protocol):
    async def add(self, note: CreditNote) -> None: ...

    async def get(self, note_id: UUID) -> CreditNote | None: ...

    async def for_invoice(self, invoice_id: UUID) -> list[CreditNote]:
        """Oldest first."""
        ...


class RefundRepository(Protocol):
    async def add(self, refund: Refund) -> None: ...

    async def get(self, refund_id: UUID) -> Refund | None: ...

    async def update(self, refund: Refund) -> None: ...

    async def for_invoice(self, invoice_id: UUID) -> list[Refund]:
        """Oldest first."""
        ...

    async def unknown(self, *, limit: int) -> list[Refund]:
        """Refunds whose provider call had no answer, oldest first."""
        ...


class DocumentReader(Protocol):
    """Committed invoices, credit notes and refunds, for the pages that only show them: plain
    reads outside any unit of work (on SQL the common read path, one statement each, no
    transaction). A use case that changes a document reads it through its repository instead."""

    async def invoice(self, invoice_id: UUID) -> Invoice | None: ...

    async def invoice_page(self, *, user_id: UUID | None, after: InvoiceCursor | None, limit: int) -> list[Invoice]:
        """Issued invoices newest first, as ``InvoiceRepository.page``."""
        ...

    async def credit_note(self, note_id: UUID) -> CreditNote | None: ...

    async def credit_notes_for(self, invoice_id: UUID) -> list[CreditNote]:
        """By number."""
        ...

    async def refunds_for(self, invoice_id: UUID) -> list[Refund]:
        """Oldest first."""
        ...

    async def refund(self, refund_id: UUID) -> Refund | None: ...


class LedgerRepository(Protocol):
    """Append-only: transactions are added, never changed or removed."""

    async def post(self, transaction: LedgerTransaction) -> bool:
        """Appends, and answers True; the same idempotency id again answers False and stores
        nothing, unless it names a different movement (``LedgerIdempotencyConflict``)."""
        ...

    async def get(self, idempotency_id: str) -> LedgerTransaction | None: ...

    async def balances(self, currency: Currency) -> dict[Account, Money]:
        """Every account's balance (debits less credits) in ``currency``, derived from the entries."""
        ...

    async def transactions(self, currency: Currency) -> list[LedgerTransaction]:
        """Oldest first."""
        ...


class DocumentNumberSequence(Protocol):
    async def next(self, series: DocumentSeries) -> int:
        """The series' next sequence number, under a lock held until the transaction ends (a row
        lock on PostgreSQL, the single writer on SQLite): a rolled-back transaction gives its
        number back, so the numbers that exist have no gap and no duplicate."""
        ...


@dataclass(frozen=True, slots=True)
class PaidOrder:
    """What an invoice needs from a paid order (served by the orders' own repository)."""

    order_id: UUID
    user_id: UUID
    currency: Currency
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    paid_at: datetime
    payment_id: str | None
    prices_include_tax: bool = False
    refund_window_days: int = 14
    notes: tuple[str, ...] = ()
    sellers: tuple[SellerLine | None, ...] = ()  # per line: its seller's split (None: the platform's own)


class PaidOrders(Protocol):
    async def get(self, order_id: UUID) -> PaidOrder | None:
        """None until the order is known and paid."""
        ...


class OrderRefunds(Protocol):
    """Tells the order (owned by the orders' side of billing) how much of it is refunded so far.
    Cumulative and idempotent: the order records ``billing.order_refunded`` for what is new only,
    so the provider's later ``charge.refunded`` with the same running total changes nothing."""

    async def refunded_to(self, order_id: UUID, total_refunded: Money, now: datetime) -> None: ...

    async def refunded_total(self, order_id: UUID) -> Money | None:
        """The order's running refunded total as the provider reported it (None: unknown order)."""
        ...


class SoldLines(Protocol):
    """Per line of a paid order (and so of its invoice and credit notes, by position): the
    seller's split at the commission fixed when it was paid, None for the platform's own lines."""

    async def seller_lines(self, order_id: UUID) -> tuple[SellerLine | None, ...]: ...


class InvoiceRenderer(Protocol):
    """Typesets a document as PDF bytes."""

    async def render_invoice(self, invoice: Invoice, credit_notes: list[CreditNote]) -> bytes: ...

    async def render_credit_note(self, note: CreditNote, invoice: Invoice) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Seller:
    """The seller block of every document (from settings)."""

    party: Party
