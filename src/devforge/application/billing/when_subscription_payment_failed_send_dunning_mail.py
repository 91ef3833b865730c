"""Mail the buyer when a renewal cannot be charged. ``billing.subscription_payment_failed`` is
published when a renewal first fails (its ``grace_ends_at`` is ahead: pay before then, nothing
stops meanwhile) and once more on a failure after the grace period (its ``grace_ends_at`` has
passed: the license is suspended until the renewal is paid). One mail per publication: the
delivery ledger runs each (event, consumer) once."""

from __future__ import annotations

from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.published import SubscriptionPaymentFailedV1
from devforge.application.billing.subscription_mails import dunning
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.public_url import PublicUrl


class WhenSubscriptionPaymentFailedSendDunningMail:
    name = "billing.send_dunning_mail"
    subscribes_to = (SubscriptionPaymentFailedV1,)

    def __init__(self, orders: OrderRepository, mail: OutgoingMail, public_url: PublicUrl) -> None:
        self._orders, self._mail, self._public_url = orders, mail, public_url

    async def handle(self, event: EventEnvelope) -> None:
        failed = SubscriptionPaymentFailedV1.decode(event)
        order = await self._orders.get(failed.order_id)
        if order is None:
            return
        grace_ends_at = failed.grace_ends_at
        over = grace_ends_at <= event.occurred_at
        await self._mail.post(dunning(order, grace_ends_at=grace_ends_at, over=over, home=self._public_url.to("/")))
