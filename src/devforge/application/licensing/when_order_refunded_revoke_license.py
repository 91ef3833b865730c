"""A full refund or a lost dispute takes back what was bought: the order's licenses are revoked.
A partial refund changes nothing (the customer keeps the product). Idempotent: revoking twice
keeps the first revocation. The payment and its refund are often read from the provider at
once, so this can run before the licenses are issued: when the order bought licenses
(``licensed``) and none exists yet, it raises ``LicensesNotIssuedYet`` and the delivery is
retried, rather than let them be issued afterwards and stay valid."""

from __future__ import annotations

from devforge.application.billing.published import DisputeLostV1, OrderRefundedV1
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.common.outbox import Outbox
from devforge.application.licensing.errors import LicensesNotIssuedYet
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.order_licenses import change_order_licenses, licenses_of_order
from devforge.application.licensing.ports import LicenseRepository


class WhenOrderRefundedRevokeLicense:
    name = "licensing.revoke_license_for_refund"
    subscribes_to = (OrderRefundedV1, DisputeLostV1)

    def __init__(self, licenses: LicenseRepository, outbox: Outbox, cache: LicenseCache, clock: Clock) -> None:
        self._licenses, self._outbox, self._cache, self._clock = licenses, outbox, cache, clock

    async def handle(self, event: EventEnvelope) -> None:
        taken_back = decode(event, OrderRefundedV1, DisputeLostV1)
        if isinstance(taken_back, OrderRefundedV1) and not taken_back.full:
            return
        reason = "order refunded" if isinstance(taken_back, OrderRefundedV1) else "payment dispute lost"
        now = self._clock.now()
        user_id, order_id = taken_back.user_id, taken_back.order_id
        if taken_back.licensed and not await licenses_of_order(self._licenses, user_id, order_id):
            raise LicensesNotIssuedYet(f"Order {order_id} has no licenses yet; the delivery is retried.")
        await change_order_licenses(
            self._licenses,
            self._outbox,
            self._cache,
            user_id,
            order_id,
            lambda license: license.revoke(reason, now),
        )
