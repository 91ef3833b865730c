"""A recurring purchase: the order that started it and the period paid up to.

- ACTIVE while paid up; PAST_DUE after a failed renewal, with a grace period (7 days past the
  paid period's end, or past the failure if that is later) before the customer loses access;
  CANCELLED once the provider ends it, for good;
- the paid period only moves forward: a renewal for a period that ends no later than the one
  known is old news (redelivered or reordered) and changes nothing; a renewal that moves it
  publishes what was paid (the provider's invoice, payment and amount) for billing to invoice
  and receipt, and ``access_until`` (the period's end plus the grace period) for licensing;
- an ended subscription gives access until the end of the period paid for, no grace;
- a payment failure is published when the spell starts, and once more on a failure after the
  grace period (the provider retries for weeks); a paid renewal ends the spell.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing import events
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.shared.events import EventRecorder

GRACE_PERIOD = timedelta(days=7)


def next_period_end(start: datetime, interval: BillingInterval) -> datetime:
    """One month (clamped to the month's last day) or one year after ``start``."""
    months = 12 if interval is BillingInterval.YEAR else 1
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def access_until(period_end: datetime) -> datetime:
    """What a paid period buys: its own length, and the grace period in which a failed renewal
    can still be paid."""
    return period_end + GRACE_PERIOD


@dataclass(frozen=True, slots=True)
class PaidPeriod:
    """A renewal as the provider reports it: its invoice, the period's end, what was paid."""

    invoice_ref: str
    period_end: datetime
    amount: Money
    payment_id: str | None


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELLED = "cancelled"


@dataclass(eq=False)
class Subscription(EventRecorder):
    id: UUID
    order_id: UUID
    user_id: UUID
    provider_subscription_id: str
    interval: BillingInterval
    created_at: datetime
    current_period_end: datetime | None = None
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    past_due_since: datetime | None = None
    ended_at: datetime | None = None
    grace_over_reported: bool = False
    version: int = 0

    def started(self, charge: TaxedAmount, now: datetime) -> None:
        """Its first period is paid: ``SubscriptionStarted`` says what each period charges (the
        order's total, with and without tax). Called once, when it is recorded."""
        self.record(
            events.SubscriptionStarted(
                occurred_at=now,
                order_id=self.order_id,
                user_id=self.user_id,
                subscription_id=self.id,
                interval=self.interval.value,
                amount=charge.gross.amount_minor,
                net=charge.net.amount_minor,
                currency=charge.gross.currency.code,
                period_end=self.current_period_end or now,
            )
        )

    def grace_ends_at(self, now: datetime) -> datetime:
        start = max(self.current_period_end or now, self.past_due_since or now)
        return start + GRACE_PERIOD

    def renewed(self, period: PaidPeriod, now: datetime) -> bool:
        """A paid renewal. True (and ``SubscriptionRenewed`` recorded) when it extends the paid
        period; one that ends no later than the period known is old news."""
        if self.status is SubscriptionStatus.CANCELLED:
            return False
        if self.current_period_end is not None and period.period_end <= self.current_period_end:
            return False
        self.status, self.past_due_since, self.grace_over_reported = SubscriptionStatus.ACTIVE, None, False
        self.current_period_end = period.period_end
        self.record(
            events.SubscriptionRenewed(
                occurred_at=now,
                order_id=self.order_id,
                user_id=self.user_id,
                subscription_id=self.id,
                period_end=period.period_end,
                access_until=access_until(period.period_end),
                invoice_ref=period.invoice_ref,
                payment_id=period.payment_id,
                amount=period.amount.amount_minor,
                currency=period.amount.currency.code,
            )
        )
        return True

    def payment_failed(self, now: datetime, period_end: datetime | None = None) -> bool:
        """The first failure starts the grace period; a failure once it is over is reported once
        more (its ``grace_ends_at`` is past), which is when the customer loses access. A failure
        to pay a period that is paid by now (``period_end`` no later than the paid period) is old
        news."""
        if period_end is not None and self.current_period_end is not None and period_end <= self.current_period_end:
            return False
        if self.status is SubscriptionStatus.ACTIVE:
            self.status, self.past_due_since = SubscriptionStatus.PAST_DUE, now
        elif self.status is SubscriptionStatus.PAST_DUE and not self.grace_over_reported:
            if now < self.grace_ends_at(now):
                return False
            self.grace_over_reported = True
        else:
            return False
        self.record(
            events.SubscriptionPaymentFailed(
                occurred_at=now,
                order_id=self.order_id,
                user_id=self.user_id,
                subscription_id=self.id,
                grace_ends_at=self.grace_ends_at(now),
            )
        )
        return True

    def end(self, now: datetime) -> bool:
        if self.status is SubscriptionStatus.CANCELLED:
            return False
        self.status, self.ended_at = SubscriptionStatus.CANCELLED, now
        ended = events.SubscriptionEnded(
            occurred_at=now, order_id=self.order_id, user_id=self.user_id, access_until=self.current_period_end or now
        )
        self.record(ended)
        return True
