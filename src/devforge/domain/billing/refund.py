"""A refund: money going back to the buyer of an invoice, written down before the provider is asked.

The refund row is stored first, under the invoice's lock, with status ``requested``: from that
moment its amount counts against what remains refundable, so two refunds racing each other can
never together exceed the invoice. Its id gives the provider call its idempotency key, so a call
retried after a timeout refunds once. The provider's answer settles it:

- ``succeeded`` or ``pending``: the money is (being) returned; a credit note is issued;
- ``failed``: nothing was returned; its amount is refundable again;
- no answer (timeout): ``unknown``; it still holds its amount until a reconciler asks again
  with the same idempotency key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.errors import RefundAmountInvalid, RefundExceedsRemaining
from devforge.domain.billing.invoice_errors import InvoiceStateInvalid
from devforge.domain.billing.money import Money


class RefundStatus(StrEnum):
    REQUESTED = "requested"
    SUCCEEDED = "succeeded"
    PENDING = "pending"
    FAILED = "failed"
    UNKNOWN = "unknown"


_OPEN = frozenset({RefundStatus.REQUESTED, RefundStatus.UNKNOWN})
_SETTLED_BY_PROVIDER = {
    "succeeded": RefundStatus.SUCCEEDED,
    "pending": RefundStatus.PENDING,
    "failed": RefundStatus.FAILED,
}


@dataclass
class Refund:
    id: UUID
    invoice_id: UUID
    order_id: UUID | None
    user_id: UUID
    amount: Money
    reason: str
    requested_by: UUID
    requested_at: datetime
    status: RefundStatus = RefundStatus.REQUESTED
    provider_refund_id: str | None = None
    credit_note_id: UUID | None = None
    settled_at: datetime | None = None

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.id}"

    @property
    def holds_amount(self) -> bool:
        """Counts against what remains refundable: everything but a failed refund."""
        return self.status is not RefundStatus.FAILED

    @property
    def returns_money(self) -> bool:
        return self.status in (RefundStatus.SUCCEEDED, RefundStatus.PENDING)

    def settle(self, provider_status: str, provider_refund_id: str | None, now: datetime) -> None:
        if self.status not in _OPEN:
            raise InvoiceStateInvalid(f"Refund {self.id} is already {self.status.value}.")
        if provider_status not in _SETTLED_BY_PROVIDER:
            raise ValueError(f"unknown provider refund status {provider_status!r}")
        self.status = _SETTLED_BY_PROVIDER[provider_status]
        self.provider_refund_id, self.settled_at = provider_refund_id, now

    def mark_unknown(self) -> None:
        if self.status in _OPEN:
            self.status = RefundStatus.UNKNOWN

    def attach_credit_note(self, credit_note_id: UUID) -> None:
        self.credit_note_id = credit_note_id


def refundable(invoiced_gross: Money, refunds: Sequence[Refund]) -> Money:
    """What may still be refunded: the invoice's gross less every refund that holds an amount."""
    return invoiced_gross - Money.total((r.amount for r in refunds if r.holds_amount), invoiced_gross.currency)


def ensure_refundable(amount: Money, invoiced_gross: Money, refunds: Sequence[Refund]) -> None:
    if amount.amount_minor <= 0:
        raise RefundAmountInvalid("A refund is a positive amount.", field="amount")
    left = refundable(invoiced_gross, refunds)
    if amount > left:
        raise RefundExceedsRemaining(f"{amount} is more than the {left} that remains refundable.", field="amount")
