"""Run one consumer on many events in one transaction, exactly once in effect each."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import structlog

from devforge.application.common.clock import Clock
from devforge.application.common.consumers import BatchConsumer
from devforge.application.common.deliver_event import DeliverEvent, DeliveryOutcome
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.application.common.integration_events import readable
from devforge.application.common.outages import OutageDetector
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)


class DeliverEventBatch:
    """The deliveries of one consumer locked together, its ``handle_batch`` on their events, every
    DONE written and one commit: what ``DeliverEvent`` does for one event, once for many (an
    activation's analytics fact is one row of one insert, not an insert and a transaction of its
    own). Only what runs cleanly together goes together:

    - a delivery that is no longer pending (done meanwhile, by a redelivery) is skipped;
    - an event the consumer cannot read (or gone from the outbox) is left to ``DeliverEvent``,
      which makes it a dead letter as it would without batches;
    - when ``handle_batch`` (or the commit) fails, the batch is rolled back whole; an outage (a
      server the consumer needs is unreachable) postpones every delivery of it, any other failure
      runs each event on its own through ``DeliverEvent``, so attempts, back-off and dead letters
      count against the event that failed, as if there had been no batch."""

    def __init__(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        clock: Clock,
        outages: OutageDetector,
        one: DeliverEvent,
    ) -> None:
        self._uow, self._outbox, self._ledger, self._clock = uow, outbox, ledger, clock
        self._outages, self._one = outages, one

    async def __call__(self, consumer: BatchConsumer, event_ids: Sequence[UUID]) -> dict[UUID, DeliveryOutcome]:
        deliveries = await self._ledger.get_many(event_ids, consumer.name, for_update=True)
        pending = {d.event_id: d for d in deliveries if d.status is DeliveryStatus.PENDING}
        outcomes = {event_id: DeliveryOutcome.SKIPPED for event_id in event_ids if event_id not in pending}
        found = await self._outbox.get_many(list(pending))
        events = sorted(
            (event for event in found if readable(event, consumer.subscribes_to)), key=lambda e: e.occurred_at
        )
        readable_ids = {event.event_id for event in events}
        alone = [event_id for event_id in pending if event_id not in readable_ids]
        if not events:
            await self._uow.rollback()
        else:
            try:
                await consumer.handle_batch(events)
                now = self._clock.now()
                for event in events:
                    pending[event.event_id].succeed(now)
                await self._ledger.save_many([pending[event.event_id] for event in events])
                await self._uow.commit()
                outcomes |= {event.event_id: DeliveryOutcome.HANDLED for event in events}
            except Exception as error:
                await self._uow.rollback()
                reason = f"{type(error).__name__}: {error}"
                if self._outages.is_outage(error):
                    log.warning(
                        "consumer_failed", consumer=consumer.name, events=len(events), error=reason, outage=True
                    )
                    for event in events:
                        outcomes[event.event_id] = await self._one.postpone(consumer.name, event.event_id, reason)
                else:
                    log.warning("batch_failed_one_by_one", consumer=consumer.name, events=len(events), error=reason)
                    alone += [event.event_id for event in events]
        for event_id in alone:
            outcomes[event_id] = await self._one(consumer, event_id)
        return outcomes
