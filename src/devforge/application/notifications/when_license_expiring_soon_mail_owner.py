"""Tell a license's owner, once per term, that it expires in a few days."""

from __future__ import annotations

from devforge.application.common.integration_events import EventEnvelope
from devforge.application.licensing.published import LicenseExpiringSoonV1
from devforge.application.notifications.license_mails import LICENSE_EXPIRING_SOON, when
from devforge.application.notifications.notify import Notify


class WhenLicenseExpiringSoonMailOwner:
    """Licensing announces each term's expiry once; the delivery ledger hands it here once."""

    name = "notifications.mail_license_expiring_soon"
    subscribes_to = (LicenseExpiringSoonV1,)

    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def handle(self, envelope: EventEnvelope) -> None:
        event = LicenseExpiringSoonV1.decode(envelope)
        await self._notify.account(
            event.user_id,
            LICENSE_EXPIRING_SOON,
            license=str(event.license_id),
            expires=when(event.expires_at),
            licenses_link=self._notify.link("/api/licenses"),
        )
