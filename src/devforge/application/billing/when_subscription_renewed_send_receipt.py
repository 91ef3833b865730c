"""Mail the receipt of a paid renewal: what was paid and until when. The delivery ledger runs
each (event, consumer) once and ``billing.subscription_renewed`` is published once per period,
so one receipt is sent per renewal."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.subscription_mails import renewal_receipt
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.public_url import PublicUrl
from devforge.domain.billing.money import Money


class WhenSubscriptionRenewedSendReceipt:
    name = "billing.send_renewal_receipt"
    subscribes_to = ("billing.subscription_renewed",)

    def __init__(self, orders: OrderRepository, mail: OutgoingMail, public_url: PublicUrl) -> None:
        self._orders, self._mail, self._public_url = orders, mail, public_url

    async def handle(self, event: EventEnvelope) -> None:
        order = await self._orders.get(UUID(event.payload["order_id"]))
        if order is None or event.payload.get("amount") is None:  # an event from before renewals were receipted
            return
        paid = Money.of(int(event.payload["amount"]), event.payload["currency"])
        paid_until = datetime.fromisoformat(event.payload["period_end"])
        await self._mail.post(renewal_receipt(order, paid=paid, paid_until=paid_until, home=self._public_url.to("/")))
