"""Billing's subscription and refund events become revenue facts once, whatever their order or
repetition: the consumer keeps a redelivery once, and the figures place each fact by its moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.when_revenue_fact_published_keep_it import WhenRevenueFactPublishedKeepIt
from devforge.application.billing.published import (
    OrderRefundedV1,
    SubscriptionEndedV1,
    SubscriptionRenewedV1,
    SubscriptionStartedV1,
)
from devforge.domain.analytics.billings import Charge, GivenBack, mismatches
from devforge.domain.analytics.mrr import MovementKind, movements
from devforge.domain.analytics.revenue_facts import charges, given_back, mrr_changes

AT = datetime(2026, 5, 4, 10, tzinfo=UTC)


def year_of_one_subscription() -> list:  # type: ignore[type-arg]
    order, user = uuid4(), uuid4()
    started = SubscriptionStartedV1(
        order_id=order, user_id=user, subscription_id=uuid4(), interval="year", amount=11_900, net=10_000,
        currency="EUR", period_end=AT + timedelta(days=365),
    )  # fmt: skip
    renewed = SubscriptionRenewedV1(
        order_id=order, user_id=user, subscription_id=started.subscription_id, period_end=AT + timedelta(days=730),
        access_until=AT + timedelta(days=737), invoice_ref="in_2", payment_id="pi_2", amount=11_900, currency="EUR",
    )  # fmt: skip
    refunded = OrderRefundedV1(order_id=order, user_id=user, amount=500, currency="EUR", full=False, licensed=True)
    ended = SubscriptionEndedV1(order_id=order, user_id=user, access_until=AT + timedelta(days=730))
    return [
        started.envelope(AT),
        refunded.envelope(AT + timedelta(days=3)),
        renewed.envelope(AT + timedelta(days=365)),
        ended.envelope(AT + timedelta(days=400)),
    ]


async def test_redelivered_and_reordered_events_end_in_the_same_facts() -> None:
    envelopes = year_of_one_subscription()
    in_order, chaos = InMemoryAnalyticsStore(), InMemoryAnalyticsStore()
    for envelope in envelopes:
        await WhenRevenueFactPublishedKeepIt(in_order).handle(envelope)
    for envelope in [*reversed(envelopes), *envelopes, envelopes[0]]:
        await WhenRevenueFactPublishedKeepIt(chaos).handle(envelope)
    ordered, reordered = await in_order.revenue_facts(), await chaos.revenue_facts()
    assert sorted(ordered, key=lambda f: f.at) == sorted(reordered, key=lambda f: f.at) and len(ordered) == 4
    assert [(m.kind, m.amount) for m in movements(mrr_changes(reordered))] == [
        (MovementKind.NEW, 833),
        (MovementKind.CHURN, 833),
    ]
    assert sorted((c.renewal or "", c.net) for c in charges(reordered)) == [("", 10_000), ("in_2", 10_000)]
    assert [g.amount for g in given_back(reordered)] == [500]


async def test_an_end_or_a_renewal_whose_start_is_not_known_yet_counts_nothing_until_it_is() -> None:
    started, *rest = year_of_one_subscription()
    store = InMemoryAnalyticsStore()
    for envelope in rest:
        await WhenRevenueFactPublishedKeepIt(store).handle(envelope)
    assert mrr_changes(await store.revenue_facts()) == [] and charges(await store.revenue_facts()) == []
    await WhenRevenueFactPublishedKeepIt(store).handle(started)
    assert len(mrr_changes(await store.revenue_facts())) == 2


def test_a_charge_or_a_month_that_differs_from_the_ledger_is_named() -> None:
    order = uuid4()
    ours = [Charge(AT, order, None, "EUR", 1000), Charge(AT, order, "in_2", "EUR", 1000)]
    ledger = [Charge(AT, order, None, "EUR", 1000), Charge(AT + timedelta(days=30), order, "in_2", "EUR", 999)]
    found = mismatches((ours, [GivenBack(AT, "EUR", 5)]), (ledger, []))
    assert [(m.what, m.analytics, m.ledger) for m in found] == [
        (f"charge {order}:in_2", 1000, 999),
        ("2026-05 EUR billed", 2000, 1000),
        ("2026-05 EUR refunded", 5, 0),
        ("2026-06 EUR billed", 0, 999),
    ]
    assert mismatches((ours, []), (ours, [])) == []
