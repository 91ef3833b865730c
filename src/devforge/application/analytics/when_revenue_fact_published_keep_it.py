"""Billing's subscription and refund events, kept as the revenue facts the MRR figures are
computed from (``domain/analytics/revenue_facts.py``).

Idempotent and order-free: a fact's uuid is the integration event's id and its moment the
event's, so a redelivery keeps the same fact again (the store keeps a uuid once), and the
figures place each fact by its moment, whatever order they arrived in. Written inside its
delivery (at least once), never buffered."""

from __future__ import annotations

from collections.abc import Callable

from devforge.application.analytics.ports import AnalyticsStore
from devforge.application.billing.published import (
    DisputeLostV1,
    OrderRefundedV1,
    SubscriptionEndedV1,
    SubscriptionRenewedV1,
    SubscriptionStartedV1,
)
from devforge.application.common.integration_events import EventEnvelope, IntegrationEvent, UnknownEventVersion
from devforge.domain.analytics.revenue_facts import RevenueFact
from devforge.domain.analytics.revenue_facts import RevenueFactKind as Kind


def _started(event: EventEnvelope) -> RevenueFact:
    e = SubscriptionStartedV1.decode(event)
    return RevenueFact(
        event.event_id, Kind.STARTED, event.occurred_at, e.order_id, e.user_id, e.currency, e.amount, e.net, e.interval
    )


def _renewed(event: EventEnvelope) -> RevenueFact:
    e = SubscriptionRenewedV1.decode(event)
    return RevenueFact(
        event.event_id, Kind.RENEWED, event.occurred_at, e.order_id, e.user_id, e.currency, e.amount,
        reference=e.invoice_ref,
    )  # fmt: skip


def _ended(event: EventEnvelope) -> RevenueFact:
    e = SubscriptionEndedV1.decode(event)
    return RevenueFact(event.event_id, Kind.ENDED, event.occurred_at, e.order_id, e.user_id)


def _refunded(event: EventEnvelope) -> RevenueFact:
    e = OrderRefundedV1.decode(event)
    return RevenueFact(event.event_id, Kind.REFUNDED, event.occurred_at, e.order_id, e.user_id, e.currency, e.amount)


def _dispute_lost(event: EventEnvelope) -> RevenueFact:
    e = DisputeLostV1.decode(event)
    return RevenueFact(
        event.event_id, Kind.DISPUTE_LOST, event.occurred_at, e.order_id, e.user_id, e.currency, e.amount
    )


READERS: dict[type[IntegrationEvent], Callable[[EventEnvelope], RevenueFact]] = {
    SubscriptionStartedV1: _started,
    SubscriptionRenewedV1: _renewed,
    SubscriptionEndedV1: _ended,
    OrderRefundedV1: _refunded,
    DisputeLostV1: _dispute_lost,
}


class WhenRevenueFactPublishedKeepIt:
    name = "analytics.keep_revenue_fact"
    subscribes_to = tuple(READERS)

    def __init__(self, store: AnalyticsStore) -> None:
        self._store = store

    async def handle(self, event: EventEnvelope) -> None:
        schema = next((each for each in READERS if (event.name, event.version) == (each.NAME, each.VERSION)), None)
        if schema is None:
            raise UnknownEventVersion(f"{event.name} v{event.version} is not a revenue fact")
        await self._store.record_revenue_facts([READERS[schema](event)])
