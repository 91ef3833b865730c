"""A credit note: a numbered, immutable document crediting part or all of an issued invoice.

Its amounts come from the credit-notes kernel (``credit_note.credit_note_for``): the refund is
split into net and tax, and over the invoice's lines, in proportion to what remains creditable
after every earlier credit note, so no line is ever credited beyond what was invoiced and the
notes of an invoice never add up to more than the invoice. Line ``i`` credits invoice line ``i``.
Only a finalized or paid invoice can be credited (a draft has nothing to credit; a void one was
cancelled as a whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.billing.credit_note import CreditBreakdown, credit_note_for, remaining_refundable
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice, InvoiceStatus
from devforge.domain.billing.invoice_errors import InvoiceStateInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount

CREDITABLE = frozenset({InvoiceStatus.FINALIZED, InvoiceStatus.PAID})


@dataclass(frozen=True, slots=True)
class CreditNote:
    id: UUID
    invoice_id: UUID
    user_id: UUID
    order_id: UUID | None
    refund_id: UUID | None
    number: DocumentNumber
    currency: Currency
    lines: tuple[TaxedAmount, ...]
    reason: str
    issued_at: datetime

    @property
    def total(self) -> TaxedAmount:
        result = TaxedAmount.zero(self.currency)
        for line in self.lines:
            result = result + line
        return result

    @property
    def breakdown(self) -> CreditBreakdown:
        return CreditBreakdown(lines=self.lines, total=self.total)

    @classmethod
    def issue(
        cls,
        *,
        id: UUID,
        invoice: Invoice,
        amount: Money,
        earlier: Sequence[CreditNote],
        number: DocumentNumber,
        reason: str,
        now: datetime,
        refund_id: UUID | None = None,
    ) -> CreditNote:
        """Raises ``RefundExceedsRemaining`` when ``amount`` (gross) is more than remains creditable."""
        if invoice.status not in CREDITABLE:
            raise InvoiceStateInvalid(f"A {invoice.status.value} invoice cannot be credited.")
        if number.series is not DocumentSeries.CREDIT_NOTE:
            raise InvoiceStateInvalid(f"{number} is not a credit note number.", field="number")
        breakdown = credit_note_for(invoice.amounts, amount, already_credited=[note.breakdown for note in earlier])
        return cls(
            id=id,
            invoice_id=invoice.id,
            user_id=invoice.user_id,
            order_id=invoice.order_id,
            refund_id=refund_id,
            number=number,
            currency=invoice.currency,
            lines=breakdown.lines,
            reason=reason,
            issued_at=now,
        )


def remaining_creditable(invoice: Invoice, notes: Sequence[CreditNote]) -> Money:
    """The gross amount of ``invoice`` that its credit notes have not yet credited."""
    if not invoice.amounts:
        return Money.zero(invoice.currency)
    left = remaining_refundable(invoice.amounts, [note.breakdown for note in notes])
    return Money.total((line.gross for line in left), invoice.currency)
