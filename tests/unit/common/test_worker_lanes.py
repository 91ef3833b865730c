"""The worker's lanes: the consumers that take one event at a time claim as they always did, with
every slot of the worker; each batch consumer claims its own deliveries apart, as one batch."""

from __future__ import annotations

from uuid import uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.claim_deliveries import DeliveryBatch, DeliveryJob
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.entrypoints.worker.runtime import BATCH_SIZE, WorkerRuntime

FACTS = "analytics.record_server_fact"  # handles batches
MAIL = "identity.send_welcome_mail"  # one event at a time


async def open_deliveries(container: AsyncContainer, clock: ManualClock, count: int) -> list[EventEnvelope]:
    events = [EventEnvelope(uuid4(), "identity.user_registered", clock.now(), {}) for _ in range(count)]
    async with container() as scope:
        await (await scope.get(Outbox)).add(events)
        opened = [
            Delivery(e.event_id, c, DeliveryStatus.PENDING, 0, clock.now()) for e in events for c in (FACTS, MAIL)
        ]
        await (await scope.get(DeliveryLedger)).open(opened)
        await (await scope.get(UnitOfWork)).commit()
    return events


async def test_the_one_at_a_time_lane_claims_as_many_as_it_has_slots_and_no_batch_consumers_delivery(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    worker = WorkerRuntime(memory_container)
    events = await open_deliveries(memory_container, clock, 5)
    first = await worker.claim_deliveries(3)
    rest = await worker.claim_deliveries(10)
    assert len(first) == 3 and {job.consumer for job in first + rest} == {MAIL}
    assert sorted(job.event_id for job in first + rest) == sorted(event.event_id for event in events)
    assert await worker.claim_deliveries(10) == []  # the facts wait for their own lane


async def test_a_batch_lane_claims_its_consumers_deliveries_as_one_job_at_most_a_batch_per_slot(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    worker = WorkerRuntime(memory_container)
    events = await open_deliveries(memory_container, clock, BATCH_SIZE + 1)
    [batch] = await worker.claim_batch(FACTS, 1)
    assert isinstance(batch, DeliveryBatch) and batch.consumer == FACTS and len(batch.event_ids) == BATCH_SIZE
    assert await worker.claim_batch(FACTS, 1) == [DeliveryJob(events[-1].event_id, FACTS)]  # one left: a plain job
    assert await worker.claim_batch(FACTS, 1) == []
    assert len(await worker.claim_deliveries(1_000)) == BATCH_SIZE + 1  # the mail was never taken
