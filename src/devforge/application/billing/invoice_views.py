"""Who reads billing's documents, and what the document use cases answer."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund


@dataclass(frozen=True, slots=True)
class DocumentReader:
    """Plain data the shell builds from identity's principal (contexts never import each other)."""

    user_id: UUID
    is_admin: bool = False

    def sees(self, owner_id: UUID) -> bool:
        return self.is_admin or self.user_id == owner_id


@dataclass(frozen=True, slots=True)
class InvoiceView:
    invoice: Invoice
    credit_notes: tuple[CreditNote, ...]
    refundable: Money


@dataclass(frozen=True, slots=True)
class RefundView:
    refund: Refund
    credit_note: CreditNote | None
