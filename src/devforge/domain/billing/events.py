"""Facts of billing. Each goes out through the outbox as the schema
``application/billing/published.py`` maps it to: that schema, not this class, is the contract
with licensing and the other contexts. Every event about an order carries its ``user_id`` too,
so a consumer can find what it holds for the buyer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PaidLine:
    """One line of a paid order: ``policy_id`` is the licensing policy its product sells (None
    when the product is not licensed)."""

    product_code: str
    policy_id: str | None
    quantity: int


@dataclass(frozen=True, kw_only=True)
class OrderPaid(DomainEvent):
    """``lines``: what each order line bought.
    ``access_until``: for a subscription, when the period paid for ends, grace included (each
    paid renewal moves it on); None for a one-time purchase, which does not run out."""

    order_id: UUID
    user_id: UUID
    email: str
    currency: str
    total: int
    lines: tuple[PaidLine, ...]
    access_until: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentMismatched(DomainEvent):
    """The provider reports a payment we cannot accept for the order (another amount or
    currency): nothing is fulfilled; a person refunds it or sorts it out."""

    order_id: UUID
    user_id: UUID
    problem: str


@dataclass(frozen=True, kw_only=True)
class OrderRefunded(DomainEvent):
    """``amount``: what was refunded by this change; ``full``: nothing is left to refund;
    ``licensed``: the order bought licenses (which a full refund takes back)."""

    order_id: UUID
    user_id: UUID
    amount: int
    currency: str
    full: bool
    licensed: bool


@dataclass(frozen=True, kw_only=True)
class DisputeOpened(DomainEvent):
    """The buyer's bank disputes the payment: the money is held until the dispute closes."""

    order_id: UUID
    user_id: UUID
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class DisputeWon(DomainEvent):
    """``amount``/``currency``: the disputed amount, whose hold is released."""

    order_id: UUID
    user_id: UUID
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class DisputeLost(DomainEvent):
    """``licensed``: the order bought licenses (which are taken back); ``amount``/``currency``:
    the disputed amount, which went back to the buyer."""

    order_id: UUID
    user_id: UUID
    licensed: bool
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionStarted(DomainEvent):
    """A subscription's first period is paid: ``amount`` is what each period charges in
    ``currency`` (the order's total, tax included), ``net`` the same without tax (what the ledger
    recognises), ``interval`` ``month`` or ``year``."""

    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    interval: str
    amount: int
    net: int
    currency: str
    period_end: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionRenewed(DomainEvent):
    """A paid renewal: ``invoice_ref`` is the provider's invoice (one of ours is issued per
    renewal), ``amount`` what was paid in ``currency``, ``access_until`` the new paid period's
    end plus the grace period."""

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

    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    grace_ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionEnded(DomainEvent):
    """Nothing more is charged; ``access_until`` is the end of the period already paid for."""

    order_id: UUID
    user_id: UUID
    access_until: datetime


@dataclass(frozen=True, kw_only=True)
class ProviderEventReceived(DomainEvent):
    """A verified provider event was stored in the inbox; the worker applies it."""

    inbox_id: UUID


@dataclass(frozen=True, kw_only=True)
class SellerEarningsPosted(DomainEvent):
    """A posting moved a publisher's earnings from sales (``seller_earnings.earnings_posted``):
    ``amount`` > 0 credited at a sale, < 0 given back at a refund or a lost dispute."""

    transaction_id: UUID
    publisher_id: UUID
    movement: str
    amount: int
    currency: str
