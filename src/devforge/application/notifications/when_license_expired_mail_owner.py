"""Tell a license's owner, once per term, that it has expired."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.licensing.published import LicenseExpiredV1
from devforge.application.notifications.license_mails import LICENSE_EXPIRED, when
from devforge.application.notifications.notify import Notify


class WhenLicenseExpiredMailOwner:
    """Licensing announces each expired term once; the delivery ledger hands it here once."""

    name = "notifications.mail_license_expired"
    subscribes_to = (LicenseExpiredV1,)

    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def handle(self, envelope: EventEnvelope) -> None:
        event = LicenseExpiredV1.decode(envelope)
        await self._notify.account(
            event.user_id,
            LICENSE_EXPIRED,
            license=str(event.license_id),
            expires=when(event.expires_at),
            licenses_link=self._notify.link("/api/licenses"),
        )
