"""Facts billing publishes through the outbox. Their names and payloads are the contract with
licensing and the other contexts (plain JSON: ids, codes, integer minor units). Every event
about an order carries its ``user_id`` too, so a consumer can find what it holds for the buyer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OrderPaid(DomainEvent):
    """``lines``: ``{product_code, policy_id (or None), quantity}`` per order line.
    ``access_until``: for a subscription, when the period paid for ends, grace included (each
    paid renewal moves it on); None for a one-time purchase, which does not run out."""

    name: ClassVar[str] = "billing.order_paid"
    order_id: UUID
    user_id: UUID
    email: str
    currency: str
    total: int
    lines: tuple[dict[str, Any], ...]
    access_until: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentMismatched(DomainEvent):
    """The provider reports a payment we cannot accept for the order (another amount or
    currency): nothing is fulfilled; a person refunds it or sorts it out."""

    name: ClassVar[str] = "billing.payment_mismatched"
    order_id: UUID
    user_id: UUID
    problem: str


@dataclass(frozen=True, kw_only=True)
class OrderRefunded(DomainEvent):
    """``amount``: what was refunded by this change; ``full``: nothing is left to refund;
    ``licensed``: the order bought licenses (which a full refund takes back)."""

    name: ClassVar[str] = "billing.order_refunded"
    order_id: UUID
    user_id: UUID
    amount: int
    currency: str
    full: bool
    licensed: bool = False


@dataclass(frozen=True, kw_only=True)
class DisputeOpened(DomainEvent):
    """The buyer's bank disputes the payment: the money is held until the dispute closes."""

    name: ClassVar[str] = "billing.dispute_opened"
    order_id: UUID
    user_id: UUID
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class DisputeWon(DomainEvent):
    """``amount``/``currency``: the disputed amount, whose hold is released."""

    name: ClassVar[str] = "billing.dispute_won"
    order_id: UUID
    user_id: UUID
    amount: int | None = None
    currency: str | None = None


@dataclass(frozen=True, kw_only=True)
class DisputeLost(DomainEvent):
    """``licensed``: the order bought licenses (which are taken back); ``amount``/``currency``:
    the disputed amount, which went back to the buyer."""

    name: ClassVar[str] = "billing.dispute_lost"
    order_id: UUID
    user_id: UUID
    licensed: bool = False
    amount: int | None = None
    currency: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubscriptionRenewed(DomainEvent):
    """A paid renewal: ``invoice_ref`` is the provider's invoice (one of ours is issued per
    renewal), ``amount`` what was paid in ``currency``, ``access_until`` the new paid period's
    end plus the grace period."""

    name: ClassVar[str] = "billing.subscription_renewed"
    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    period_end: datetime
    access_until: datetime
    invoice_ref: str
    payment_id: str | None
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionPaymentFailed(DomainEvent):
    """``grace_ends_at``: until then the customer keeps using what they bought. Published when
    a renewal first fails, and once more on a failure after the grace period is over."""

    name: ClassVar[str] = "billing.subscription_payment_failed"
    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    grace_ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionEnded(DomainEvent):
    """Nothing more is charged; ``access_until`` is the end of the period already paid for."""

    name: ClassVar[str] = "billing.subscription_ended"
    order_id: UUID
    user_id: UUID
    access_until: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ProviderEventReceived(DomainEvent):
    """A verified provider event was stored in the inbox; the worker applies it."""

    name: ClassVar[str] = "billing.provider_event_received"
    inbox_id: UUID
