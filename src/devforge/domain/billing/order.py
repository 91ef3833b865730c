"""The order aggregate: what a customer buys in one checkout, and where its payment stands.

Its status only moves forward, because provider events arrive late, twice and out of order:

    pending -> checkout_unknown -> awaiting_payment -> failed -> paid -> partially_refunded -> refunded
    (cancelled from any state before paid)

- a payment failure after the order is paid changes nothing (a late ``payment_failed`` never
  undoes ``paid``); a success after a failure pays it (the buyer retried);
- paid is reached once: ``OrderPaid`` is recorded exactly once whatever the provider repeats;
  only by a payment of exactly the total in the order's currency: any other is recorded as the
  order's ``payment_problem`` (``PaymentMismatched``, once per problem) and fulfils nothing;
- the payment's id is kept from the first report that names it, whichever came first;
- refunds are cumulative and never shrink: the provider reports the total refunded so far, a
  smaller or equal figure is old news; reaching the total makes the order ``refunded``;
- a line sold for a seller (an extension's publisher) has its commission rate fixed when the
  order is paid, once: a later change of the commission rules never rewrites a past sale;
- a dispute is opened once and closed once (``DisputeOpened``, then ``DisputeWon`` or
  ``DisputeLost``), known by the provider's id: once closed, a late "open" for it is old news;
  a lost one is final; after a win, a new dispute (another id) may open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing import events
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import OrderNotPayable, QuantityInvalid
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
    seller_id: UUID | None = None  # the publisher paid a share (an extension); None: the platform's own
    commission_bp: int | None = None  # the platform's commission, fixed when the order is paid

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
    dispute_id: str | None = None
    payment_problem: str | None = None
    version: int = 0

    @property
    def recurring(self) -> bool:
        return any(line.interval.recurring for line in self.lines)

    @property
    def licensed(self) -> bool:
        """Whether any line sells a license (names a licensing policy)."""
        return any(line.policy_id for line in self.lines)

    @property
    def interval(self) -> BillingInterval:
        """How often the order is charged: its recurring lines' interval, else one time."""
        return next((line.interval for line in self.lines if line.interval.recurring), BillingInterval.ONE_TIME)

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

    @property
    def sold_for_sellers(self) -> bool:
        return any(line.seller_id is not None for line in self.lines)

    def pay(
        self,
        payment_id: str,
        amount: Money,
        now: datetime,
        *,
        access_until: datetime | None = None,
        commissions: Sequence[int | None] = (),
    ) -> bool:
        """Mark paid (True) or, when it already is, only learn the payment's id if it was missing
        (False). A payment of another amount or currency than the total pays nothing: it is
        flagged (False). A cancelled order that the provider says was paid is paid: money moved,
        so the customer gets what they bought. ``access_until``: for a subscription, when what
        this payment bought runs out (the first period's end plus the grace period).
        ``commissions``: per line, the rate in force now for a line sold for a seller (fixed
        on the line here, once)."""
        if self.status.is_paid:
            self.payment_id = self.payment_id or payment_id
            return False
        if amount != self.total.gross:  # Money compares currency too: 29,900 JPY is not 299.00 USD
            self.flag_payment_problem(f"Paid {amount}, but the order's total is {self.total.gross}.", now)
            return False
        self.payment_id, self.paid_at, self.payment_problem = payment_id, now, None
        self._fix_commissions(commissions)
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
                    events.PaidLine(product_code=line.product_code, policy_id=line.policy_id, quantity=line.quantity)
                    for line in self.lines
                ),
                access_until=access_until,
            )
        )
        return True

    def _fix_commissions(self, commissions: Sequence[int | None]) -> None:
        if not self.sold_for_sellers:
            return
        if len(commissions) != len(self.lines) or any(
            line.seller_id is not None and line.commission_bp is None and rate is None
            for line, rate in zip(self.lines, commissions, strict=False)
        ):
            raise OrderNotPayable("A sale for sellers fixes a commission rate per line when it is paid.")
        self.lines = tuple(
            replace(line, commission_bp=rate) if line.seller_id is not None and line.commission_bp is None else line
            for line, rate in zip(self.lines, commissions, strict=True)
        )

    def flag_payment_problem(self, problem: str, now: datetime) -> bool:
        """A payment we cannot accept as it is: kept on the order for a person to sort out (refund
        it at the provider, say), and published once per distinct problem."""
        if self.payment_problem == problem:
            return False
        self.payment_problem, self.updated_at = problem, now
        self.record(events.PaymentMismatched(occurred_at=now, order_id=self.id, user_id=self.user_id, problem=problem))
        return True

    def renewal_accepted(self, amount: Money, now: datetime) -> bool:
        """A subscription's renewal pays the order's total again, in its currency; any other
        payment is flagged like a first payment would be, and renews nothing."""
        if amount == self.total.gross:
            return True
        self.flag_payment_problem(f"A renewal paid {amount}, but the order's total is {self.total.gross}.", now)
        return False

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
                licensed=self.licensed,
            )
        )
        return True

    def dispute_opened(self, dispute_id: str, amount: Money, now: datetime) -> bool:
        """Published once per dispute. ``amount``: what the buyer's bank took back for now (held
        until the dispute closes)."""
        if self.dispute_id == dispute_id or self.disputed or self.dispute_lost:
            return False
        self.dispute_id, self.disputed, self.updated_at = dispute_id, True, now
        self.record(
            events.DisputeOpened(
                occurred_at=now,
                order_id=self.id,
                user_id=self.user_id,
                amount=amount.amount_minor,
                currency=amount.currency.code,
            )
        )
        return True

    def dispute_closed(self, dispute_id: str, lost: bool, amount: Money, now: datetime) -> bool:
        """The open dispute ``dispute_id`` closes: lost is final and published once (the money went
        back); won releases the hold. Anything else (another dispute, one already closed) is old
        news. True when this changed the order. ``amount``: the disputed amount, published so
        the ledger can post the hold first if its opening has not been posted yet."""
        if not self.disputed or self.dispute_id != dispute_id:
            return False
        self.disputed, self.updated_at = False, now
        held, currency = amount.amount_minor, amount.currency.code
        ids = {"order_id": self.id, "user_id": self.user_id}
        if lost:
            self.dispute_lost = True
            self.record(
                events.DisputeLost(occurred_at=now, **ids, licensed=self.licensed, amount=held, currency=currency)
            )
        else:
            self.record(events.DisputeWon(occurred_at=now, **ids, amount=held, currency=currency))
        return True
