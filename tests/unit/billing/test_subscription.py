"""A subscription's paid period only moves forward, and each renewal publishes what was paid and
until when it gives access; a failed renewal starts a grace period and is reported again only
once the grace is over, and a failure to pay a period paid since is old news; an ended
subscription stays ended and gives access to the end of the period paid for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.events import SubscriptionEnded, SubscriptionPaymentFailed, SubscriptionRenewed
from devforge.domain.billing.money import Money
from devforge.domain.billing.subscription import (
    GRACE_PERIOD,
    PaidPeriod,
    Subscription,
    SubscriptionStatus,
    next_period_end,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
MONTH = timedelta(days=30)


def a_subscription() -> Subscription:
    return Subscription(uuid4(), uuid4(), uuid4(), "sub_1", BillingInterval.MONTH, NOW, current_period_end=NOW + MONTH)


def paid_until(end: datetime, invoice: str = "in_2") -> PaidPeriod:
    return PaidPeriod(invoice, end, Money.of(1200, "EUR"), "pi_2")


def test_an_old_or_repeated_renewal_changes_nothing() -> None:
    sub = a_subscription()
    assert sub.renewed(paid_until(NOW + 2 * MONTH), NOW)
    assert not sub.renewed(paid_until(NOW + 2 * MONTH), NOW)
    assert not sub.renewed(paid_until(NOW + MONTH, "in_1"), NOW)
    assert sub.current_period_end == NOW + 2 * MONTH
    (renewed,) = sub.pull_events()
    assert isinstance(renewed, SubscriptionRenewed)
    assert (renewed.invoice_ref, renewed.payment_id, renewed.amount, renewed.currency) == ("in_2", "pi_2", 1200, "EUR")
    assert renewed.access_until == NOW + 2 * MONTH + GRACE_PERIOD


def test_a_failure_to_pay_a_period_paid_since_is_old_news() -> None:
    sub = a_subscription()
    sub.renewed(paid_until(NOW + 2 * MONTH), NOW + MONTH)
    assert not sub.payment_failed(NOW + MONTH, period_end=NOW + 2 * MONTH)
    assert sub.status is SubscriptionStatus.ACTIVE


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
    assert sub.renewed(paid_until(NOW + 2 * MONTH), NOW + MONTH)
    assert sub.status is SubscriptionStatus.ACTIVE and sub.past_due_since is None


def test_ending_is_final_and_published_once() -> None:
    sub = a_subscription()
    assert sub.end(NOW) and not sub.end(NOW)
    assert not sub.renewed(paid_until(NOW + 2 * MONTH), NOW)
    (ended,) = sub.pull_events()
    assert isinstance(ended, SubscriptionEnded) and ended.access_until == NOW + MONTH


def test_a_period_is_a_calendar_month_or_year() -> None:
    assert next_period_end(datetime(2026, 1, 31, 9, tzinfo=UTC), BillingInterval.MONTH) == datetime(
        2026, 2, 28, 9, tzinfo=UTC
    )
    assert next_period_end(datetime(2028, 2, 29, tzinfo=UTC), BillingInterval.YEAR) == datetime(2029, 2, 28, tzinfo=UTC)
