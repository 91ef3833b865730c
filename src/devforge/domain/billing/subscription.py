"""A recurring purchase: the order that started it and the period paid up to.

- ACTIVE while paid up; PAST_DUE after a failed renewal, with a grace period (7 days past the
  paid period's end, or past the failure if that is later) before the customer loses access;
  CANCELLED once the provider ends it, for good;
- the paid period only moves forward: a renewal for a period that ends no later than the one
  known is old news (redelivered or reordered) and changes nothing;
- a payment failure is published when the spell starts, and once more on a failure after the
  grace period (the provider retries for weeks); a paid renewal ends the spell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing import events
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.shared.events import EventRecorder

GRACE_PERIOD = timedelta(days=7)


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

    def grace_ends_at(self, now: datetime) -> datetime:
        start = max(self.current_period_end or now, self.past_due_since or now)
        return start + GRACE_PERIOD

    def renewed(self, period_end: datetime | None, now: datetime) -> bool:
        """A paid invoice. Returns True (and records ``SubscriptionRenewed``) when it extends the
        paid period; the first invoice, which only confirms the first period, records nothing."""
        if self.status is SubscriptionStatus.CANCELLED or period_end is None:
            return False
        if self.status is SubscriptionStatus.PAST_DUE and (
            self.current_period_end is None or period_end > self.current_period_end
        ):
            self.status, self.past_due_since, self.grace_over_reported = SubscriptionStatus.ACTIVE, None, False
        if self.current_period_end is None:
            self.current_period_end = period_end
            return False
        if period_end <= self.current_period_end:
            return False
        self.current_period_end = period_end
        self.record(
            events.SubscriptionRenewed(
                occurred_at=now,
                order_id=self.order_id,
                user_id=self.user_id,
                subscription_id=self.id,
                period_end=period_end,
            )
        )
        return True

    def payment_failed(self, now: datetime) -> bool:
        """The first failure starts the grace period; a failure once it is over is reported once
        more (its ``grace_ends_at`` is past), which is when the customer loses access."""
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
        self.record(events.SubscriptionEnded(occurred_at=now, order_id=self.order_id, user_id=self.user_id))
        return True
