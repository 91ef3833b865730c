"""What billing publishes: the schemas other contexts decode (licensing fulfils orders from
them). Frozen once published: a change is a new class with the next VERSION beside the old one
(tests/unit/contracts/published_events.json holds each one's fields). Standard library only, so a
consumer importing this imports nothing else of billing.

Every event about an order carries the buyer's ``user_id``, which is how other contexts find
what they hold for the order. Amounts are integer minor units of ``currency`` (ISO 4217)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.common.integration_events import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class OrderLineV1:
    """``policy_id``: the licensing policy the product sells, as the catalog names it (None for
    a product that is not licensed)."""

    product_code: str
    policy_id: str | None
    quantity: int


@dataclass(frozen=True, kw_only=True)
class OrderPaidV1(IntegrationEvent):
    """``access_until``: for a subscription, when the period paid for ends, grace included;
    None for a one-time purchase, which does not run out."""

    NAME = "billing.order_paid"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    email: str
    currency: str
    total: int
    lines: tuple[OrderLineV1, ...]
    access_until: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentMismatchedV1(IntegrationEvent):
    NAME = "billing.payment_mismatched"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    problem: str


@dataclass(frozen=True, kw_only=True)
class OrderRefundedV1(IntegrationEvent):
    """``amount``: refunded by this change; ``full``: nothing is left to refund; ``licensed``:
    the order bought licenses (which a full refund takes back)."""

    NAME = "billing.order_refunded"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    amount: int
    currency: str
    full: bool
    licensed: bool


@dataclass(frozen=True, kw_only=True)
class DisputeOpenedV1(IntegrationEvent):
    NAME = "billing.dispute_opened"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class DisputeWonV1(IntegrationEvent):
    """``amount``/``currency``: the disputed amount, whose hold is released."""

    NAME = "billing.dispute_won"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class DisputeLostV1(IntegrationEvent):
    """``licensed``: the order bought licenses (which are taken back); ``amount``/``currency``:
    the disputed amount, which went back to the buyer."""

    NAME = "billing.dispute_lost"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    licensed: bool
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionStartedV1(IntegrationEvent):
    """A subscription's first period is paid (published once, when billing records it).
    ``amount``: what each period charges, tax included; ``net``: the same without tax, what the
    ledger credits for each paid period (revenue and the sellers' shares); ``interval``: ``month``
    or ``year``. A paid renewal (``SubscriptionRenewedV1``) charges the same again."""

    NAME = "billing.subscription_started"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    interval: str
    amount: int
    net: int
    currency: str
    period_end: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionRenewedV1(IntegrationEvent):
    """A paid renewal: ``invoice_ref`` is the provider's invoice, ``access_until`` the new paid
    period's end plus the grace period."""

    NAME = "billing.subscription_renewed"
    VERSION = 1
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
class SubscriptionPaymentFailedV1(IntegrationEvent):
    """Published when a renewal first fails, and once more on a failure after the grace."""

    NAME = "billing.subscription_payment_failed"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    subscription_id: UUID
    grace_ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionEndedV1(IntegrationEvent):
    """``access_until``: the end of the period already paid for."""

    NAME = "billing.subscription_ended"
    VERSION = 1
    order_id: UUID
    user_id: UUID
    access_until: datetime


@dataclass(frozen=True, kw_only=True)
class InvoiceIssuedV1(IntegrationEvent):
    NAME = "billing.invoice_issued"
    VERSION = 1
    invoice_id: UUID
    order_id: UUID | None
    user_id: UUID
    number: str
    currency: str
    total: int


@dataclass(frozen=True, kw_only=True)
class ProviderEventReceivedV1(IntegrationEvent):
    """Billing's own: a verified provider event is in the inbox for the worker to apply."""

    NAME = "billing.provider_event_received"
    VERSION = 1
    inbox_id: UUID


@dataclass(frozen=True, kw_only=True)
class PayoutReturnedV1(IntegrationEvent):
    """A payout came back (``reason``: ``transfer_reversed``, ``payout_failed`` or
    ``transfer_refused``): ``amount + withheld`` is owed to the publisher again and will be paid
    by a later run. ``user_id``: the publisher's owner, who is told."""

    NAME = "billing.payout_returned"
    VERSION = 1
    payout_id: str
    publisher_id: UUID
    user_id: UUID
    amount: int
    withheld: int
    currency: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SellerEarningsPostedV1(IntegrationEvent):
    """A ledger posting moved a publisher's earnings from sales: a sale or renewal credited their
    share (``amount`` > 0, ``movement`` ``sale``), a refund or a lost dispute gave some back
    (``amount`` < 0, ``refund`` or ``dispute_lost``). ``amount`` is exactly the posting's entry on
    ``seller_payable:<publisher>`` with its sign turned (minor units); payouts and service payments
    are not earnings from sales and are not published here. One per publisher and posting."""

    NAME = "billing.seller_earnings_posted"
    VERSION = 1
    transaction_id: UUID
    publisher_id: UUID
    movement: str
    amount: int
    currency: str
