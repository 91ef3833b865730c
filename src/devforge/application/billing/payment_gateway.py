"""The payment provider as billing sees it: hosted checkout, refunds, the provider's events, and
the current state of its objects (``provider_state``), which is what billing applies: an event
only says which object to read again.

Amounts are integer minor units of ``currency`` (ISO 4217), never floats; an adapter converts
to the provider's own unit (see ``domain/billing/stripe_amounts``). Every call that creates
something carries an ``idempotency_key`` derived from our row id, so a retried call after a
timeout lands once. A call whose outcome is unknown (timeout, dropped connection) raises
``PaymentProviderUnavailable``: the caller records "unknown" and a reconciler asks
``find_checkout`` later.

Event ``type`` is normalized across providers: "checkout.completed", "payment.succeeded",
"payment.failed", "charge.refunded", "dispute.opened", "dispute.closed" (``outcome`` "won" or
"lost"), "invoice.paid", "invoice.payment_failed", "subscription.updated",
"subscription.deleted", "payment.updated" (its balance transaction may have arrived),
"balance.available" (the provider's balance changed: fees may be known); any other is
"stripe.<type>" (stored, ignored). An event names its objects: ``payment_id`` (a payment
intent), ``charge_id``, ``invoice_id``, ``subscription_id`` and our ``order_id`` when the
provider's object carries it (a dispute does not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.application.billing.provider_state import ProviderInvoice, ProviderPayment, ProviderSubscription
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
    charge_id: str | None = None
    invoice_id: str | None = None
    account: str | None = None  # the connected account an event happened on (Stripe's ``account``)


@dataclass(frozen=True, slots=True)
class ProviderBalanceTransaction:
    """A movement of the provider's balance (Stripe's balance transaction): a charge, a refund, a
    dispute's withdrawal... ``amount`` is signed (money in positive), ``fee`` what the provider
    took for it, ``net`` = amount - fee, all minor units of ``currency`` (the balance's currency,
    which may differ from the payment's when the provider converted it). ``payment_id`` names the
    payment (payment intent) it belongs to, when it belongs to one."""

    transaction_id: str
    type: str  # "charge" | "refund" | "dispute" | "payout" | "transfer" | "fee" | "other"
    amount: int
    fee: int
    net: int
    currency: str
    created: datetime
    payment_id: str | None
    source_id: str | None = None
    fee_details: tuple[tuple[str, int], ...] = ()  # (kind, amount): "stripe_fee", "tax"...


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

    async def payment(self, reference: str) -> ProviderPayment | None:
        """A payment as it stands now, by its id or the id of its charge, with its running
        refunded total and its disputes; None when the provider knows no such payment."""
        ...

    async def invoice(self, invoice_id: str) -> ProviderInvoice | None:
        """A subscription's invoice as it stands now; None when unknown."""
        ...

    async def subscription(self, subscription_id: str) -> ProviderSubscription | None:
        """A subscription as it stands now; None when unknown."""
        ...

    async def cancel_subscription(self, subscription_id: str, idempotency_key: str) -> None:
        """Ends the subscription at once: nothing more is charged. Cancelling one that already
        ended is not an error. The provider announces the end with its own event."""
        ...

    async def balance_transaction(self, reference: str) -> ProviderBalanceTransaction | None:
        """The balance transaction of a payment's charge (by payment or charge id), with the
        fee the provider really took; None while the provider has not made it yet (an
        asynchronous capture: ``charge.updated`` tells when) or for an unknown payment."""
        ...

    async def balance_transactions(self, start: datetime, end: datetime) -> list[ProviderBalanceTransaction]:
        """Every balance transaction created in ``[start, end)``, oldest first (reconciliation)."""
        ...


class WebhookVerifier(Protocol):
    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        """Raises ``WebhookRejected(reason)`` for a bad signature, a stale timestamp or a malformed body."""
        ...
