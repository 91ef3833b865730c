"""A subscription that stops being paid: grace, then suspension; an ended one lapses.

``billing.subscription_payment_failed`` comes when a renewal first fails (its ``grace_ends_at``
is ahead: nothing changes, the customer keeps working through the grace period) and once more
on a failure after the grace period (``grace_ends_at`` passed: the licenses are suspended, and a
later paid renewal reinstates them). ``billing.subscription_ended`` brings the licenses' expiry
forward to the end of the period paid for (``access_until``): they lapse then, as anything
unpaid does (a refund or a lost dispute revokes them at once, through their own events)."""

from __future__ import annotations

from devforge.application.billing.published import SubscriptionEndedV1, SubscriptionPaymentFailedV1
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope, decode
from devforge.application.common.outbox import Outbox
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.order_licenses import change_order_licenses
from devforge.application.licensing.ports import LicenseRepository
from devforge.application.licensing.when_subscription_renewed_renew_license import SUSPENDED_FOR_NON_PAYMENT
from devforge.domain.licensing.license import License, LicenseStatus


class WhenSubscriptionPaymentFailedSuspendLicense:
    name = "licensing.suspend_license_for_subscription"
    subscribes_to = (SubscriptionPaymentFailedV1, SubscriptionEndedV1)

    def __init__(self, licenses: LicenseRepository, outbox: Outbox, cache: LicenseCache, clock: Clock) -> None:
        self._licenses, self._outbox, self._cache, self._clock = licenses, outbox, cache, clock

    async def handle(self, event: EventEnvelope) -> None:
        unpaid, now = decode(event, SubscriptionPaymentFailedV1, SubscriptionEndedV1), self._clock.now()
        if isinstance(unpaid, SubscriptionEndedV1):
            paid_until = unpaid.access_until

            def change(license: License) -> None:
                license.end_term(paid_until, now)

        else:
            if now < unpaid.grace_ends_at:
                return

            def change(license: License) -> None:
                if license.status is LicenseStatus.ACTIVE:
                    license.suspend(SUSPENDED_FOR_NON_PAYMENT, now)

        await change_order_licenses(
            self._licenses,
            self._outbox,
            self._cache,
            unpaid.user_id,
            unpaid.order_id,
            change,
        )
