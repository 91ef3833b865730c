"""Mail the receipt of a paid renewal: what was paid and until when. The delivery ledger runs
each (event, consumer) once and ``billing.subscription_renewed`` is published once per period,
so one receipt is sent per renewal."""

from __future__ import annotations

from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.published import SubscriptionRenewedV1
from devforge.application.billing.subscription_mails import renewal_receipt
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.public_url import PublicUrl
from devforge.domain.billing.money import Money


class WhenSubscriptionRenewedSendReceipt:
    name = "billing.send_renewal_receipt"
    subscribes_to = (SubscriptionRenewedV1,)

    def __init__(self, orders: OrderRepository, mail: OutgoingMail, public_url: PublicUrl) -> None:
        self._orders, self._mail, self._public_url = orders, mail, public_url

    async def handle(self, event: EventEnvelope) -> None:
        renewed = SubscriptionRenewedV1.decode(event)
        order = await self._orders.get(renewed.order_id)
        if order is None:
            return
        paid, home = Money.of(renewed.amount, renewed.currency), self._public_url.to("/")
        await self._mail.post(renewal_receipt(order, paid=paid, paid_until=renewed.period_end, home=home))
