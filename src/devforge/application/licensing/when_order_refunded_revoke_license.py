"""A full refund or a lost dispute takes back what was bought: the order's licenses are revoked.
A partial refund changes nothing (the customer keeps the product). Idempotent: revoking twice
keeps the first revocation."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.order_licenses import change_order_licenses
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
        await change_order_licenses(
            self._licenses,
            self._outbox,
            self._cache,
            UUID(event.payload["user_id"]),
            UUID(event.payload["order_id"]),
            lambda license: license.revoke(reason, now),
        )
