"""Mail the receipt once the purchase is fulfilled.

An order with a licensed product gets its receipt when licensing reports the license issued
(``licensing.license_issued_for_order``): the event carries the keys (``licenses``, each sealed
by the SecretBox; an older event one ``sealed_key``), opened here only to write the mail, so a
key is stored in plaintext nowhere. An order with no
licensed product gets its receipt on ``billing.order_paid``. The delivery ledger runs each
(event, consumer) once, and each of those events is published once, so one receipt is sent."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.receipt_mail import receipt
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.secret_box import SecretBox

LICENSE_ISSUED = "licensing.license_issued_for_order"


def sealed_key_context(order_id: UUID | str) -> str:
    """The SecretBox context a license key for this order is sealed under (shared by contract)."""
    return f"license-for-order:{order_id}"


class WhenOrderFulfilledSendReceipt:
    name = "billing.send_receipt"
    subscribes_to = ("billing.order_paid", LICENSE_ISSUED)

    def __init__(self, orders: OrderRepository, mail: OutgoingMail, box: SecretBox, public_url: PublicUrl) -> None:
        self._orders, self._mail, self._box, self._public_url = orders, mail, box, public_url

    async def handle(self, event: EventEnvelope) -> None:
        order = await self._orders.get(UUID(event.payload["order_id"]))
        if order is None:
            return
        home = self._public_url.to("/")
        if event.name == LICENSE_ISSUED:
            issued = event.payload.get("licenses") or [event.payload]
            context = sealed_key_context(order.id)
            keys = tuple(self._box.open(license["sealed_key"], context=context) for license in issued)
            await self._mail.post(receipt(order, home=home, license_keys=keys))
        elif not any(line.policy_id for line in order.lines):
            await self._mail.post(receipt(order, home=home))
