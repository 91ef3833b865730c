"""Mail the receipt once the purchase is fulfilled.

An order with a licensed product gets its receipt when licensing reports the licenses issued
(``LicenseIssuedForOrderV1``): the event carries the keys, each sealed by the SecretBox under
licensing's ``sealed_key_context``, opened here only to write the mail, so a key is stored in
plaintext nowhere. An order with no licensed product gets its receipt on ``OrderPaidV1``. The
delivery ledger runs each (event, consumer) once, and each of those events is published once,
so one receipt is sent."""

from __future__ import annotations

from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.published import OrderPaidV1
from devforge.application.billing.receipt_mail import receipt
from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.common.mail_outbox import OutgoingMail
from devforge.application.common.public_url import PublicUrl
from devforge.application.common.secret_box import SecretBox
from devforge.application.licensing.published import LicenseIssuedForOrderV1, sealed_key_context


class WhenOrderFulfilledSendReceipt:
    name = "billing.send_receipt"
    subscribes_to = (OrderPaidV1, LicenseIssuedForOrderV1)

    def __init__(self, orders: OrderRepository, mail: OutgoingMail, box: SecretBox, public_url: PublicUrl) -> None:
        self._orders, self._mail, self._box, self._public_url = orders, mail, box, public_url

    async def handle(self, event: EventEnvelope) -> None:
        fulfilled = decode(event, OrderPaidV1, LicenseIssuedForOrderV1)
        order = await self._orders.get(fulfilled.order_id)
        if order is None:
            return
        home = self._public_url.to("/")
        if isinstance(fulfilled, LicenseIssuedForOrderV1):
            context = sealed_key_context(order.id)
            keys = tuple(self._box.open(license.sealed_key, context=context) for license in fulfilled.licenses)
            await self._mail.post(receipt(order, home=home, license_keys=keys))
        elif not any(line.policy_id for line in order.lines):
            await self._mail.post(receipt(order, home=home))
