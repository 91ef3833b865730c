"""Open a delivery for every consumer of every committed outbox event."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.consumers import Subscriptions
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class RelayReport:
    relayed_events: int
    opened_deliveries: int


class RelayOutbox:
    """The relay opens one delivery per (event, subscribed consumer), due at once, and marks the
    event relayed in one transaction. Relays in many workers take disjoint events (the outbox is
    claimed with SKIP LOCKED). Running the deliveries is the job of ``ClaimDueDeliveries`` and
    the worker's pool: the ledger is the queue, so nothing is handed to a broker that could lose
    it."""

    def __init__(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        subscriptions: Subscriptions,
        clock: Clock,
        batch_size: int = 100,
    ) -> None:
        self._uow, self._outbox, self._ledger = uow, outbox, ledger
        self._subscriptions, self._clock, self._batch_size = subscriptions, clock, batch_size

    async def __call__(self) -> RelayReport:
        now = self._clock.now()
        events = await self._outbox.claim_unrelayed(self._batch_size)
        fresh = [
            Delivery(event.event_id, consumer, DeliveryStatus.PENDING, 0, now)
            for event in events
            for consumer in self._subscriptions.consumers_of(event.name)
        ]
        await self._ledger.open(fresh)
        await self._outbox.mark_relayed([event.event_id for event in events])
        await self._uow.commit()
        return RelayReport(relayed_events=len(events), opened_deliveries=len(fresh))
