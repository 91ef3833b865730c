"""The payment provider as billing sees it: hosted checkout, refunds, and the provider's events.

Amounts are integer minor units of ``currency`` (ISO 4217), never floats; an adapter converts
to the provider's own unit (see ``domain/billing/stripe_amounts``). Every call that creates
something carries an ``idempotency_key`` derived from our row id, so a retried call after a
timeout lands once. A call whose outcome is unknown (timeout, dropped connection) raises
``PaymentProviderUnavailable``: the caller records "unknown" and a reconciler asks
``find_checkout`` later.

Event ``type`` is normalized across providers: "checkout.completed", "payment.succeeded",
"payment.failed", "charge.refunded", "dispute.opened", "dispute.closed" (``outcome`` "won" or
"lost"), "invoice.paid", "invoice.payment_failed", "subscription.updated",
"subscription.deleted".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.shared.errors import DomainError


@dataclass(frozen=True, slots=True)
class CheckoutLine:
    name: str
    unit_amount: int
    quantity: int
    tax_amount: int
    recurring: str | None  # None | "month" | "year"


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """Subscription mode iff any line is recurring."""

    order_id: UUID
    currency: str
    lines: tuple[CheckoutLine, ...]
    customer_email: str
    customer_ref: str | None
    success_url: str
    cancel_url: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    provider: str
    session_id: str
    redirect_url: str


@dataclass(frozen=True, slots=True)
class RefundRequest:
    provider_payment_id: str
    amount: int
    currency: str
    idempotency_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProviderRefund:
    provider_refund_id: str
    status: str  # "succeeded" | "pending" | "failed"


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    event_id: str
    type: str
    created: datetime
    order_id: UUID | None
    object_id: str
    amount: int | None
    currency: str | None
    payment_id: str | None
    subscription_id: str | None
    period_end: datetime | None
    outcome: str | None = None


class PaymentProviderUnavailable(Exception):
    """Timeout or unknown outcome: the caller records "unknown", a reconciler resolves it later."""


class WebhookRejected(DomainError):
    """A webhook that is not provably from the provider (bad signature, stale or future
    timestamp) or that cannot be read (malformed body). ``reason`` says which."""

    code = "webhook_rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Webhook rejected: {reason}.", field="Stripe-Signature")
        self.reason = reason


class PaymentGateway(Protocol):
    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """The same ``idempotency_key`` answers the same session."""
        ...

    async def find_checkout(self, order_id: UUID) -> CheckoutSession | None:
        """The reconciler's question: did our timed-out ``create_checkout`` land?"""
        ...

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        """The same ``idempotency_key`` answers the same refund."""
        ...

    async def events_since(self, since: datetime) -> list[ProviderEvent]:
        """Events created at or after ``since``, oldest first: the replay of missed webhooks."""
        ...


class WebhookVerifier(Protocol):
    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        """Raises ``WebhookRejected(reason)`` for a bad signature, a stale timestamp or a malformed body."""
        ...
