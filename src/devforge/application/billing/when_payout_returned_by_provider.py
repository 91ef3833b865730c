"""The provider's word that a payout's money came back: ``transfer.reversed`` (the transfer was
taken back from the connected account) or ``payout.failed`` on the connected account (its bank
refused the money: the transfer is reversed here, so the money is the platform's again). Either
way the payout's amount is owed to the publisher again (``give_back``: once, however often the
provider repeats itself) and the owner is told.

A separate consumer of ``billing.provider_event_received``: ``ProcessProviderEvent`` leaves
these two types to it. It runs in the delivery's transaction, which it does not commit."""

from __future__ import annotations

import structlog

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payment_gateway import ProviderEvent
from devforge.application.billing.payout_returns import give_back
from devforge.application.billing.payout_run_ports import PayoutRepository, PayoutTransfers
from devforge.application.billing.ports import ProviderEventInbox
from devforge.application.billing.provider_events import event_from_json
from devforge.application.billing.published import ProviderEventReceivedV1
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.payout import Payout, PayoutStatus

log = structlog.get_logger(__name__)
PAYOUT_EVENTS = ("transfer.reversed", "payout.failed")


class WhenPayoutReturnedByProviderRestoreBalance:
    name = "billing.restore_returned_payout"
    subscribes_to = (ProviderEventReceivedV1,)

    def __init__(
        self,
        inbox: ProviderEventInbox,
        payouts: PayoutRepository,
        ledger: LedgerRepository,
        transfers: PayoutTransfers,
        outbox: Outbox,
        sellers: ExtensionSellers,
        clock: Clock,
    ) -> None:
        self._inbox, self._payouts, self._ledger, self._transfers = inbox, payouts, ledger, transfers
        self._outbox, self._sellers, self._clock = outbox, sellers, clock

    async def handle(self, envelope: EventEnvelope) -> None:
        entry = await self._inbox.get(ProviderEventReceivedV1.decode(envelope).inbox_id)
        if entry is None or entry.type not in PAYOUT_EVENTS:
            return
        event = event_from_json(entry.payload)
        found = await self._find(event)
        if found is None:
            log.warning("payout_event_unmatched", provider_event=event.event_id, type=event.type)
            return
        reason = "transfer_reversed" if event.type == "transfer.reversed" else "payout_failed"
        if reason == "payout_failed" and found.transfer_id and found.status is PayoutStatus.SENT:
            # before anything is locked here: the provider's call must not wait on our transaction
            # (the embedded sandbox writes to the same SQLite file, which has a single writer)
            await self._transfers.reverse(found.transfer_id, f"reverse-{found.id}")
        payout = await self._payouts.get(found.id, for_update=True)
        if payout is None:
            return
        await give_back(
            payout,
            reason,
            self._clock.now(),
            payouts=self._payouts,
            ledger=self._ledger,
            outbox=self._outbox,
            sellers=self._sellers,
        )

    async def _find(self, event: ProviderEvent) -> Payout | None:
        if event.type == "transfer.reversed":
            return await self._payouts.by_transfer(event.object_id)
        if event.account and event.currency:
            return await self._payouts.last_sent_to(event.account, Currency.of(event.currency))
        return None
