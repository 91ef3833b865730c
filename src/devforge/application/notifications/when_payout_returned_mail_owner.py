"""Tell a publisher's owner that a payout came back (reversed, failed at the bank, or refused),
once per payout: billing publishes ``billing.payout_returned`` once, and the delivery ledger
hands it here once."""

from __future__ import annotations

from devforge.application.billing.published import PayoutReturnedV1
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.notifications.notify import Notify
from devforge.application.notifications.payout_mails import PAYOUT_RETURNED, REASONS
from devforge.domain.billing.money import Money


class WhenPayoutReturnedMailOwner:
    name = "notifications.mail_payout_returned"
    subscribes_to = (PayoutReturnedV1,)

    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def handle(self, envelope: EventEnvelope) -> None:
        event = PayoutReturnedV1.decode(envelope)
        total = event.amount + event.withheld
        await self._notify.account(
            event.user_id,
            PAYOUT_RETURNED,
            payout=event.payout_id,
            amount=Money.of(total, event.currency).format(),
            why=REASONS.get(event.reason, event.reason),
            payouts_link=self._notify.link(f"/api/billing/publishers/{event.publisher_id}/payouts"),
        )
