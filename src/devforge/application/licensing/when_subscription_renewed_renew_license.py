"""A paid renewal extends the order's licenses to what it paid for (``access_until``: the new
period's end plus the grace period; never back), and lifts a suspension that a failed payment
caused. A revoked license is left alone."""

from __future__ import annotations

from devforge.application.billing.published import SubscriptionRenewedV1
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.order_licenses import change_order_licenses
from devforge.application.licensing.ports import LicenseRepository
from devforge.domain.licensing.license import License, LicenseStatus

SUSPENDED_FOR_NON_PAYMENT = "subscription payment failed"


class WhenSubscriptionRenewedRenewLicense:
    name = "licensing.renew_license_for_subscription"
    subscribes_to = (SubscriptionRenewedV1,)

    def __init__(self, licenses: LicenseRepository, outbox: Outbox, cache: LicenseCache, clock: Clock) -> None:
        self._licenses, self._outbox, self._cache, self._clock = licenses, outbox, cache, clock

    async def handle(self, event: EventEnvelope) -> None:
        renewed, now = SubscriptionRenewedV1.decode(event), self._clock.now()

        def renew(license: License) -> None:
            if license.status is LicenseStatus.REVOKED:
                return
            if license.status is LicenseStatus.SUSPENDED and license.suspend_reason == SUSPENDED_FOR_NON_PAYMENT:
                license.reinstate(now)
            license.extend_to(renewed.access_until, now)

        await change_order_licenses(
            self._licenses,
            self._outbox,
            self._cache,
            renewed.user_id,
            renewed.order_id,
            renew,
        )
