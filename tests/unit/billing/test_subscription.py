"""A subscription's paid period only moves forward; a failed renewal starts a grace period and
is reported again only once the grace is over; an ended subscription stays ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.events import SubscriptionEnded, SubscriptionPaymentFailed, SubscriptionRenewed
from devforge.domain.billing.subscription import GRACE_PERIOD, Subscription, SubscriptionStatus

NOW = datetime(2026, 3, 1, tzinfo=UTC)
MONTH = timedelta(days=30)


def a_subscription() -> Subscription:
    return Subscription(uuid4(), uuid4(), uuid4(), "sub_1", BillingInterval.MONTH, NOW, current_period_end=NOW + MONTH)


def test_an_old_or_repeated_renewal_changes_nothing() -> None:
    sub = a_subscription()
    assert sub.renewed(NOW + 2 * MONTH, NOW)
    assert not sub.renewed(NOW + 2 * MONTH, NOW)
    assert not sub.renewed(NOW + MONTH, NOW)
    assert sub.current_period_end == NOW + 2 * MONTH
    assert [type(e) for e in sub.pull_events()] == [SubscriptionRenewed]


def test_a_failure_starts_the_grace_and_one_after_it_is_reported_once_more() -> None:
    sub = a_subscription()
    assert sub.payment_failed(NOW + MONTH)
    assert not sub.payment_failed(NOW + MONTH + timedelta(days=1))
    after_grace = NOW + MONTH + GRACE_PERIOD
    assert sub.payment_failed(after_grace)
    assert not sub.payment_failed(after_grace + timedelta(days=1))
    failures = [e for e in sub.pull_events() if isinstance(e, SubscriptionPaymentFailed)]
    assert [f.grace_ends_at for f in failures] == [after_grace, after_grace]
    assert sub.status is SubscriptionStatus.PAST_DUE


def test_a_paid_renewal_ends_the_past_due_spell() -> None:
    sub = a_subscription()
    sub.payment_failed(NOW + MONTH)
    assert sub.renewed(NOW + 2 * MONTH, NOW + MONTH)
    assert sub.status is SubscriptionStatus.ACTIVE and sub.past_due_since is None


def test_ending_is_final_and_published_once() -> None:
    sub = a_subscription()
    assert sub.end(NOW) and not sub.end(NOW)
    assert not sub.renewed(NOW + 2 * MONTH, NOW)
    assert [type(e) for e in sub.pull_events()] == [SubscriptionEnded]
