"""The order aggregate: what a customer buys in one checkout, and where its payment stands.

Its status only moves forward, because provider events arrive late, twice and out of order:

    pending -> checkout_unknown -> awaiting_payment -> failed -> paid -> partially_refunded -> refunded
    (cancelled from any state before paid)

- a payment failure after the order is paid changes nothing (a late ``payment_failed`` never
  undoes ``paid``); a success after a failure pays it (the buyer retried);
- paid is reached once: ``OrderPaid`` is recorded exactly once whatever the provider repeats;
- refunds are cumulative and never shrink: the provider reports the total refunded so far, a
  smaller or equal figure is old news; reaching the total makes the order ``refunded``;
- a lost dispute is recorded once (``DisputeLost``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing import events
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import OrderNotPayable, PaymentAmountMismatch, QuantityInvalid
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.vat_id import VatIdCheck
from devforge.domain.shared.events import EventRecorder


class OrderStatus(StrEnum):
    PENDING = "pending"
    CHECKOUT_UNKNOWN = "checkout_unknown"
    AWAITING_PAYMENT = "awaiting_payment"
    FAILED = "failed"
    CANCELLED = "cancelled"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"

    @property
    def is_paid(self) -> bool:
        return self in _PAID


_PAID = frozenset({OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED})
_BEFORE_PAYMENT = frozenset(
    {OrderStatus.PENDING, OrderStatus.CHECKOUT_UNKNOWN, OrderStatus.AWAITING_PAYMENT, OrderStatus.FAILED}
)


@dataclass(frozen=True, slots=True)
class OrderLine:
    product_code: str
    product_name: str
    policy_id: str | None
    interval: BillingInterval
    unit_amount: Money
    quantity: int
    amounts: TaxedAmount

    def __post_init__(self) -> None:
        if not 1 <= self.quantity <= 100:
            raise QuantityInvalid("A quantity is 1 to 100.", field="quantity")


@dataclass(eq=False)
class Order(EventRecorder):
    id: UUID
    user_id: UUID
    email: str
    currency: Currency
    lines: tuple[OrderLine, ...]
    total: TaxedAmount
    prices_include_tax: bool
    tax_country: str
    tax_region: str | None
    vat_id: str | None
    reverse_charge: bool
    tax_quote_id: str
    created_at: datetime
    updated_at: datetime
    status: OrderStatus = OrderStatus.PENDING
    provider: str | None = None
    provider_session_id: str | None = None
    redirect_url: str | None = None
    payment_id: str | None = None
    paid_at: datetime | None = None
    refunded: Money | None = None
    disputed: bool = False
    dispute_lost: bool = False
    vat_id_check: VatIdCheck | None = None  # VIES's answer at checkout, for the invoice
    tax_note: str | None = None  # e.g. VAT charged because the VAT id could not be verified
    version: int = 0

    @property
    def recurring(self) -> bool:
        return any(line.interval.recurring for line in self.lines)

    @property
    def refunded_amount(self) -> Money:
        return self.refunded or Money.zero(self.currency)

    def _touch(self, status: OrderStatus, now: datetime) -> None:
        self.status, self.updated_at = status, now

    # Checkout -------------------------------------------------------------------------------

    def checkout_started(self, provider: str, session_id: str, redirect_url: str, now: datetime) -> None:
        if self.status not in _BEFORE_PAYMENT:
            raise OrderNotPayable("This order is no longer waiting for a payment.")
        self.provider, self.provider_session_id, self.redirect_url = provider, session_id, redirect_url
        if self.status in (OrderStatus.PENDING, OrderStatus.CHECKOUT_UNKNOWN):
            self._touch(OrderStatus.AWAITING_PAYMENT, now)

    def checkout_outcome_unknown(self, now: datetime) -> None:
        """The provider did not answer: a reconciler asks it later whether the session exists."""
        if self.status is OrderStatus.PENDING:
            self._touch(OrderStatus.CHECKOUT_UNKNOWN, now)

    def cancel(self, now: datetime) -> None:
        if self.status in _BEFORE_PAYMENT:
            self._touch(OrderStatus.CANCELLED, now)

    # Payment --------------------------------------------------------------------------------

    def pay(self, payment_id: str | None, amount: Money | None, now: datetime) -> bool:
        """Mark paid (True) or, when it already is, nothing (False). A cancelled order that the
        provider says was paid is paid: money moved, so the customer gets what they bought."""
        if self.status.is_paid:
            return False
        if amount is not None and amount != self.total.gross:
            raise PaymentAmountMismatch(f"Paid {amount}, but the order's total is {self.total.gross}.")
        self.payment_id = payment_id or self.payment_id
        self.paid_at = now
        self._touch(OrderStatus.PAID, now)
        self.record(
            events.OrderPaid(
                occurred_at=now,
                order_id=self.id,
                user_id=self.user_id,
                email=self.email,
                currency=self.currency.code,
                total=self.total.gross.amount_minor,
                lines=tuple(
                    {"product_code": line.product_code, "policy_id": line.policy_id, "quantity": line.quantity}
                    for line in self.lines
                ),
            )
        )
        return True

    def payment_failed(self, now: datetime) -> bool:
        """Only an order still waiting for its payment fails; a paid one stays paid."""
        if self.status in (OrderStatus.PENDING, OrderStatus.CHECKOUT_UNKNOWN, OrderStatus.AWAITING_PAYMENT):
            self._touch(OrderStatus.FAILED, now)
            return True
        return False

    # After payment --------------------------------------------------------------------------

    def refunded_to(self, total_refunded: Money, now: datetime) -> bool:
        """The provider's running total of refunds. Old news (not more than known) changes nothing."""
        if not self.status.is_paid or total_refunded <= self.refunded_amount:
            return False
        capped = min(total_refunded.amount_minor, self.total.gross.amount_minor)
        newly = capped - self.refunded_amount.amount_minor
        if newly <= 0:
            return False
        self.refunded = Money(capped, self.currency)
        full = capped == self.total.gross.amount_minor
        self._touch(OrderStatus.REFUNDED if full else OrderStatus.PARTIALLY_REFUNDED, now)
        self.record(
            events.OrderRefunded(
                occurred_at=now,
                order_id=self.id,
                user_id=self.user_id,
                amount=newly,
                currency=self.currency.code,
                full=full,
            )
        )
        return True

    def dispute_opened(self, now: datetime) -> None:
        """Published once per dispute: a repeated "opened" while one is open changes nothing."""
        if self.disputed or self.dispute_lost:
            return
        self.disputed, self.updated_at = True, now
        self.record(events.DisputeOpened(occurred_at=now, order_id=self.id, user_id=self.user_id))

    def dispute_closed(self, lost: bool, now: datetime) -> bool:
        """True when this closes a dispute as lost (published once); a win releases the hold."""
        was_open, self.disputed, self.updated_at = self.disputed, False, now
        if self.dispute_lost:
            return False
        if not lost:
            if was_open:
                self.record(events.DisputeWon(occurred_at=now, order_id=self.id, user_id=self.user_id))
            return False
        self.dispute_lost = True
        self.record(events.DisputeLost(occurred_at=now, order_id=self.id, user_id=self.user_id))
        return True
