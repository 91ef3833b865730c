"""What the document use cases answer, and the position of a page of invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund


@dataclass(frozen=True, slots=True)
class InvoiceView:
    invoice: Invoice
    credit_notes: tuple[CreditNote, ...]
    refundable: Money


@dataclass(frozen=True, slots=True)
class RefundView:
    refund: Refund
    credit_note: CreditNote | None


@dataclass(frozen=True, slots=True)
class InvoiceCursor:
    """Keyset position: invoices come newest first, by (created_at, id)."""

    created_at: datetime
    id: UUID
