"""Move committed outbox events to the job queue, one job per (event, consumer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from devforge.application.common.clock import Clock
from devforge.application.common.consumers import Subscriptions
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.job_queue import JobQueue
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork

DELIVER_EVENT_JOB = "deliver_event"


@dataclass(frozen=True, slots=True)
class RelayReport:
    relayed_events: int
    enqueued_jobs: int


class RelayOutbox:
    """The relay opens a delivery for every subscribed consumer and marks the event relayed in
    one transaction, then enqueues. A job lost after commit (a crashed in-process queue, a
    broker outage) is not lost work: its delivery stays pending and is enqueued again once its
    lease runs out."""

    def __init__(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        queue: JobQueue,
        subscriptions: Subscriptions,
        clock: Clock,
        lease: timedelta = timedelta(seconds=60),
        batch_size: int = 100,
    ) -> None:
        self._uow, self._outbox, self._ledger, self._queue = uow, outbox, ledger, queue
        self._subscriptions, self._clock = subscriptions, clock
        self._lease, self._batch_size = lease, batch_size

    async def __call__(self) -> RelayReport:
        now = self._clock.now()
        events = await self._outbox.claim_unrelayed(self._batch_size)
        fresh = [
            Delivery(event.event_id, consumer, DeliveryStatus.PENDING, 0, now + self._lease)
            for event in events
            for consumer in self._subscriptions.consumers_of(event.name)
        ]
        await self._ledger.open(fresh)
        await self._outbox.mark_relayed([event.event_id for event in events])
        due = await self._ledger.claim_due(now, self._batch_size)
        for delivery in due:
            delivery.next_attempt_at = now + self._lease
            await self._ledger.save(delivery)
        await self._uow.commit()
        jobs = fresh + due
        for delivery in jobs:
            await self._queue.enqueue(
                DELIVER_EVENT_JOB, {"event_id": str(delivery.event_id), "consumer": delivery.consumer}
            )
        return RelayReport(relayed_events=len(events), enqueued_jobs=len(jobs))
