"""A subscription whose purchase is taken back (refunded in full, or a dispute lost) is cancelled
at the provider, so it is never charged again, and ended here (``billing.subscription_ended``).

The provider is asked with the subscription's own idempotency key, before the delivery commits:
if the commit fails, the retry asks again, which cancels nothing twice (cancelling an ended
subscription is not an error). A recurring order whose subscription is not recorded yet (its
first payment and its refund were read from the provider at once) raises
``SubscriptionNotYetKnown``: the delivery is retried once it is. Runs inside the delivery's
transaction (no commit)."""

from __future__ import annotations

from devforge.application.billing.errors import SubscriptionNotYetKnown
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.ports import OrderRepository, SubscriptionRepository
from devforge.application.billing.publication import record_events
from devforge.application.billing.published import DisputeLostV1, OrderRefundedV1
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.common.outbox import Outbox
from devforge.domain.billing.subscription import SubscriptionStatus


class WhenOrderTakenBackCancelSubscription:
    name = "billing.cancel_subscription_taken_back"
    subscribes_to = (OrderRefundedV1, DisputeLostV1)

    def __init__(
        self,
        orders: OrderRepository,
        subscriptions: SubscriptionRepository,
        gateway: PaymentGateway,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._orders, self._subscriptions, self._gateway = orders, subscriptions, gateway
        self._outbox, self._clock = outbox, clock

    async def handle(self, event: EventEnvelope) -> None:
        taken_back = decode(event, OrderRefundedV1, DisputeLostV1)
        if isinstance(taken_back, OrderRefundedV1) and not taken_back.full:
            return
        order = await self._orders.get(taken_back.order_id)
        if order is None or not order.recurring:
            return
        subscription = await self._subscriptions.get_by_order(order.id, for_update=True)
        if subscription is None:
            raise SubscriptionNotYetKnown(f"Order {order.id}'s subscription is not recorded yet.")
        if subscription.status is SubscriptionStatus.CANCELLED:
            return
        key = f"cancel-subscription-{subscription.id}"
        await self._gateway.cancel_subscription(subscription.provider_subscription_id, key)
        subscription.end(self._clock.now())
        await self._subscriptions.update(subscription)
        await record_events(self._outbox, subscription)
