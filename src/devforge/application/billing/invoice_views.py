"""What the document use cases answer."""

from __future__ import annotations

from dataclasses import dataclass

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
