"""Apply a stored provider event to its order or subscription (the worker's half of a webhook).

Every rule here tolerates the provider's habits: the same event twice (the inbox entry is marked
processed and skipped after), events out of order (the order and the subscription only move
forward), and events about something we do not know (recorded as ignored, not retried forever).
The billing.* integration events come from the aggregates, so each fact is published once.
Runs inside the delivery's transaction and does not commit."""

from __future__ import annotations

from uuid import UUID, uuid4

import structlog

from devforge.application.billing.payment_gateway import ProviderEvent
from devforge.application.billing.ports import (
    OrderRepository,
    ProviderEventInbox,
    SubscriptionRepository,
    TaxCalculator,
)
from devforge.application.billing.provider_events import event_from_json
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.record_events import record_events
from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.errors import PaymentAmountMismatch
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order
from devforge.domain.billing.subscription import Subscription
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress

log = structlog.get_logger(__name__)

_PAID = ("checkout.completed", "payment.succeeded")


class ProcessProviderEvent:
    name = "billing.process_provider_event"
    subscribes_to = ("billing.provider_event_received",)

    def __init__(
        self,
        inbox: ProviderEventInbox,
        orders: OrderRepository,
        subscriptions: SubscriptionRepository,
        tax: TaxCalculator,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._inbox, self._orders, self._subscriptions = inbox, orders, subscriptions
        self._tax, self._outbox, self._clock = tax, outbox, clock

    async def handle(self, event: EventEnvelope) -> None:
        entry = await self._inbox.get(UUID(event.payload["inbox_id"]))
        if entry is None or entry.processed_at is not None:
            return
        try:
            outcome = await self.apply(event_from_json(entry.payload))
        except PaymentAmountMismatch as mismatch:
            # Retrying cannot fix it: keep the event, fulfil nothing, and tell a person.
            log.error(
                "provider_payment_amount_mismatch", provider_event=entry.provider_event_id, detail=mismatch.message
            )
            outcome = "refused: amount mismatch"
        await self._inbox.mark_processed(entry.id, outcome, self._clock.now())
        log.info("provider_event_processed", provider_event=entry.provider_event_id, type=entry.type, outcome=outcome)

    async def apply(self, event: ProviderEvent) -> str:
        if event.type.startswith("stripe."):  # a type we do not handle: stored, acknowledged, ignored
            return "ignored: type not handled"
        subscription = (
            await self._subscriptions.get_by_provider_id(event.subscription_id, for_update=True)
            if event.subscription_id
            else None
        )
        order_id = event.order_id or (subscription.order_id if subscription else None)
        order = await self._orders.get(order_id, for_update=True) if order_id else None
        if order is None:
            return "ignored: unknown order"
        changed = await self._apply_to_order(order, event)
        if event.subscription_id and order.recurring:
            changed = await self._apply_to_subscription(order, subscription, event) or changed
        if not changed:
            return "no change"
        await self._orders.update(order)
        await record_events(self._outbox, order)
        return "applied"

    async def _apply_to_order(self, order: Order, event: ProviderEvent) -> bool:
        now = self._clock.now()
        kind = event.type
        if kind in _PAID or (kind == "invoice.paid" and not order.status.is_paid):
            amount = Money(event.amount, order.currency) if event.amount is not None else None
            paid = order.pay(event.payment_id, amount, now)
            if paid:
                await self._tax.commit(str(order.id), _address(order), order.total)
            return paid
        if kind == "payment.failed":
            return order.payment_failed(now)
        if kind == "charge.refunded" and event.amount is not None:
            before = order.refunded_amount
            if not order.refunded_to(Money(event.amount, order.currency), now):
                return False
            # Tax goes back in step with the price: this refund split like the order's total.
            net, tax = allocate(
                order.refunded_amount - before, [order.total.net.amount_minor, order.total.tax.amount_minor]
            )
            refund_id = f"{order.id}:refund:{order.refunded_amount.amount_minor}"
            await self._tax.reverse(str(order.id), refund_id, _address(order), TaxedAmount.of(net, tax))
            return True
        if kind == "dispute.opened":
            order.dispute_opened(now)
            return True
        if kind == "dispute.closed":
            return order.dispute_closed(event.outcome == "lost", now)
        return False

    async def _apply_to_subscription(
        self, order: Order, subscription: Subscription | None, event: ProviderEvent
    ) -> bool:
        assert event.subscription_id is not None
        now = self._clock.now()
        if subscription is None:
            if event.type == "subscription.deleted" or not order.status.is_paid:
                return False
            interval = next(line.interval for line in order.lines if line.interval is not BillingInterval.ONE_TIME)
            subscription = Subscription(
                id=uuid4(),
                order_id=order.id,
                user_id=order.user_id,
                provider_subscription_id=event.subscription_id,
                interval=interval,
                created_at=now,
                current_period_end=event.period_end,
            )
            await self._subscriptions.add(subscription)
            return True
        before = (subscription.status, subscription.current_period_end, subscription.grace_over_reported)
        if event.type == "invoice.paid":
            subscription.renewed(event.period_end, now)
        elif event.type == "invoice.payment_failed":
            subscription.payment_failed(now)
        elif event.type == "subscription.deleted":
            subscription.end(now)
        changed = (subscription.status, subscription.current_period_end, subscription.grace_over_reported) != before
        if changed:
            await self._subscriptions.update(subscription)
            await record_events(self._outbox, subscription)
        return changed


def _address(order: Order) -> TaxAddress:
    return TaxAddress(order.tax_country, order.tax_region, order.vat_id)
