"""The payment provider's objects as they stand now, read back through ``PaymentGateway``.

A webhook is a notification, not a fact to apply: events arrive late, twice and in any order,
so on each one billing reads the current state of the object it names and brings the order
or the subscription in line with that. Amounts are integer minor units of ``currency``
(ISO 4217, upper case). Statuses are normalized across providers:

- a payment is "succeeded", "pending" or "failed";
- a dispute is "open", "won" or "lost" (a closed warning counts as won);
- a subscription is "active", "past_due", "incomplete" or "ended" (cancelled, unpaid for good);
- an invoice is "paid", "open" (its payment failed or is not attempted yet) or "void".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ProviderDispute:
    dispute_id: str
    status: str
    amount: int
    currency: str

    @property
    def closed(self) -> bool:
        return self.status in ("won", "lost")


@dataclass(frozen=True, slots=True)
class ProviderPayment:
    """``amount``: what was received once succeeded (asked for before); ``refunded``: the running
    total refunded. ``order_id`` comes from the payment's own metadata or, for a payment of a
    subscription's invoice, from the subscription's; ``invoice_id`` names that invoice."""

    payment_id: str
    status: str
    amount: int
    currency: str
    refunded: int
    order_id: UUID | None
    subscription_id: str | None = None
    invoice_id: str | None = None
    disputes: tuple[ProviderDispute, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True, slots=True)
class ProviderInvoice:
    """One billing period of a subscription. ``first``: the invoice that started the
    subscription (paid by the checkout), as opposed to a renewal."""

    invoice_id: str
    subscription_id: str
    order_id: UUID | None
    status: str
    amount: int
    currency: str
    period_end: datetime | None
    payment_id: str | None
    first: bool

    @property
    def paid(self) -> bool:
        return self.status == "paid"


@dataclass(frozen=True, slots=True)
class ProviderSubscription:
    subscription_id: str
    order_id: UUID | None
    status: str
    current_period_end: datetime | None

    @property
    def ended(self) -> bool:
        return self.status == "ended"
