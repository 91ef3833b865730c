"""A paid renewal extends the order's licenses to what it paid for (``access_until``: the new
period's end plus the grace period; never back), and lifts a suspension that a failed payment
caused. A revoked license is left alone. A renewal published before ``access_until`` existed
adds one of the policy's terms, as it used to."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

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
    subscribes_to = ("billing.subscription_renewed",)

    def __init__(self, licenses: LicenseRepository, outbox: Outbox, cache: LicenseCache, clock: Clock) -> None:
        self._licenses, self._outbox, self._cache, self._clock = licenses, outbox, cache, clock

    async def handle(self, event: EventEnvelope) -> None:
        now = self._clock.now()
        access = event.payload.get("access_until")
        paid_until = datetime.fromisoformat(access) if access else None

        def renew(license: License) -> None:
            if license.status is LicenseStatus.REVOKED:
                return
            if license.status is LicenseStatus.SUSPENDED and license.suspend_reason == SUSPENDED_FOR_NON_PAYMENT:
                license.reinstate(now)
            if paid_until is not None:
                license.extend_to(paid_until, now)
            elif license.policy.duration is not None and license.expires_at is not None:
                license.renew(now)

        await change_order_licenses(
            self._licenses,
            self._outbox,
            self._cache,
            UUID(event.payload["user_id"]),
            UUID(event.payload["order_id"]),
            renew,
        )
