"""A full refund or a lost dispute takes back what was bought: the order's licenses are revoked.
A partial refund changes nothing (the customer keeps the product). Idempotent: revoking twice
keeps the first revocation. The payment and its refund are often read from the provider at
once, so this can run before the licenses are issued: when the order bought licenses
(``licensed``) and none exists yet, it raises ``LicensesNotIssuedYet`` and the delivery is
retried, rather than let them be issued afterwards and stay valid."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.licensing.errors import LicensesNotIssuedYet
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.order_licenses import change_order_licenses, licenses_of_order
from devforge.application.licensing.ports import LicenseRepository


class WhenOrderRefundedRevokeLicense:
    name = "licensing.revoke_license_for_refund"
    subscribes_to = ("billing.order_refunded", "billing.dispute_lost")

    def __init__(self, licenses: LicenseRepository, outbox: Outbox, cache: LicenseCache, clock: Clock) -> None:
        self._licenses, self._outbox, self._cache, self._clock = licenses, outbox, cache, clock

    async def handle(self, event: EventEnvelope) -> None:
        if event.name == "billing.order_refunded" and not event.payload.get("full"):
            return
        reason = "order refunded" if event.name == "billing.order_refunded" else "payment dispute lost"
        now = self._clock.now()
        user_id, order_id = UUID(event.payload["user_id"]), UUID(event.payload["order_id"])
        if event.payload.get("licensed") and not await licenses_of_order(self._licenses, user_id, order_id):
            raise LicensesNotIssuedYet(f"Order {order_id} has no licenses yet; the delivery is retried.")
        await change_order_licenses(
            self._licenses,
            self._outbox,
            self._cache,
            user_id,
            order_id,
            lambda license: license.revoke(reason, now),
        )
