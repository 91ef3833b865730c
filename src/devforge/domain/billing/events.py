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
    """``lines``: ``{product_code, policy_id (or None), quantity}`` per order line."""

    name: ClassVar[str] = "billing.order_paid"
    order_id: UUID
    user_id: UUID
    email: str
    currency: str
    total: int
    lines: tuple[dict[str, Any], ...]


@dataclass(frozen=True, kw_only=True)
class OrderRefunded(DomainEvent):
    """``amount``: what was refunded by this change; ``full``: nothing is left to refund."""

    name: ClassVar[str] = "billing.order_refunded"
    order_id: UUID
    user_id: UUID
    amount: int
    currency: str
    full: bool


@dataclass(frozen=True, kw_only=True)
class DisputeOpened(DomainEvent):
    """The buyer's bank disputes the payment: the money is held until the dispute closes."""

    name: ClassVar[str] = "billing.dispute_opened"
    order_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class DisputeWon(DomainEvent):
    name: ClassVar[str] = "billing.dispute_won"
    order_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class DisputeLost(DomainEvent):
    name: ClassVar[str] = "billing.dispute_lost"
    order_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class SubscriptionRenewed(DomainEvent):
    name: ClassVar[str] = "billing.subscription_renewed"
    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    period_end: datetime


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
    name: ClassVar[str] = "billing.subscription_ended"
    order_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class ProviderEventReceived(DomainEvent):
    """A verified provider event was stored in the inbox; the worker applies it."""

    name: ClassVar[str] = "billing.provider_event_received"
    inbox_id: UUID
