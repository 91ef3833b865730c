"""A batch consumer's events delivered together: each exactly once in effect, and a failure counts
against the event that caused it, as if there had been no batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.deliveries import InMemoryDeliveryLedger
from devforge.adapters.memory.outbox import InMemoryOutbox
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.resilience.connection_outages import ConnectionOutageDetector
from devforge.application.common.deliver_event import DeliverEvent, DeliveryOutcome
from devforge.application.common.deliver_event_batch import DeliverEventBatch
from devforge.application.common.deliveries import Delivery, DeliveryStatus
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.licensing.published import LicenseActivatedV1

NOW = datetime(2026, 5, 1, tzinfo=UTC)


class Recorder:
    """Writes a row per event into the unit of work's store (rolled back with it); ``poison``
    events make a batch holding them fail, ``down`` makes every call an outage."""

    name = "test.recorder"
    subscribes_to = (LicenseActivatedV1,)

    def __init__(self, uow: InMemoryUnitOfWork, poison: set[UUID] | None = None, down: bool = False) -> None:
        self._rows = uow.store.table("recorded")
        self.poison, self.down = poison or set(), down
        self.batches: list[int] = []

    async def handle(self, event: EventEnvelope) -> None:
        await self.handle_batch([event])

    async def handle_batch(self, events: Sequence[EventEnvelope]) -> None:
        self.batches.append(len(events))
        for event in events:
            self._rows[event.event_id] = self._rows.get(event.event_id, 0) + 1
        if self.down:
            raise ConnectionError("the store is unreachable")
        if self.poison & {event.event_id for event in events}:
            raise ValueError("this event breaks the consumer")

    def recorded(self) -> dict[UUID, int]:
        return dict(self._rows)


class World:
    def __init__(self, events: int, version: int = 1) -> None:
        self.store = MemoryStore()
        self.uow = InMemoryUnitOfWork(self.store)
        self.outbox, self.ledger = InMemoryOutbox(self.uow.store), InMemoryDeliveryLedger(self.uow.store)
        self.clock, outages = ManualClock(NOW), ConnectionOutageDetector()
        one = DeliverEvent(self.uow, self.outbox, self.ledger, self.clock, outages, max_attempts=3)
        self.deliver = DeliverEventBatch(self.uow, self.outbox, self.ledger, self.clock, outages, one)
        self.ids = [uuid4() for _ in range(events)]
        self.version = version

    async def publish(self) -> None:
        name = LicenseActivatedV1.NAME
        await self.outbox.add([EventEnvelope(i, name, NOW, {}, self.version) for i in self.ids])
        await self.ledger.open([Delivery(i, Recorder.name, DeliveryStatus.PENDING, 0, NOW) for i in self.ids])
        await self.uow.commit()

    async def statuses(self) -> list[tuple[DeliveryStatus, int]]:
        found = await self.ledger.get_many(self.ids, Recorder.name)
        by_id = {delivery.event_id: (delivery.status, delivery.attempts) for delivery in found}
        return [by_id[i] for i in self.ids]


async def test_the_events_of_a_batch_are_handled_in_one_call_and_a_redelivery_changes_nothing() -> None:
    world = World(5)
    await world.publish()
    consumer = Recorder(world.uow)
    outcomes = await world.deliver(consumer, world.ids)
    assert outcomes == dict.fromkeys(world.ids, DeliveryOutcome.HANDLED)
    assert consumer.batches == [5]
    assert await world.statuses() == [(DeliveryStatus.DONE, 0)] * 5
    again = await world.deliver(consumer, world.ids)
    assert again == dict.fromkeys(world.ids, DeliveryOutcome.SKIPPED)
    assert consumer.recorded() == dict.fromkeys(world.ids, 1)


async def test_a_failing_batch_is_delivered_one_by_one_and_only_the_culprit_counts_a_failure() -> None:
    world = World(4)
    await world.publish()
    culprit = world.ids[2]
    consumer = Recorder(world.uow, poison={culprit})
    outcomes = await world.deliver(consumer, world.ids)
    assert outcomes == dict.fromkeys(world.ids, DeliveryOutcome.HANDLED) | {culprit: DeliveryOutcome.FAILED}
    assert consumer.batches == [4, 1, 1, 1, 1]
    assert await world.statuses() == [(DeliveryStatus.DONE, 0)] * 2 + [(DeliveryStatus.PENDING, 1)] + [
        (DeliveryStatus.DONE, 0)
    ]
    # nothing half-written: the failed batch's writes were rolled back, each event kept once
    assert consumer.recorded() == {i: 1 for i in world.ids if i != culprit}


async def test_an_outage_postpones_every_delivery_of_the_batch_without_using_up_an_attempt() -> None:
    world = World(3)
    await world.publish()
    consumer = Recorder(world.uow, down=True)
    outcomes = await world.deliver(consumer, world.ids)
    assert outcomes == dict.fromkeys(world.ids, DeliveryOutcome.POSTPONED)
    assert consumer.batches == [3]  # no one-by-one tries against a server that is down
    assert await world.statuses() == [(DeliveryStatus.PENDING, 0)] * 3
    found = await world.ledger.get_many(world.ids, Recorder.name)
    assert all(delivery.next_attempt_at > NOW + timedelta(seconds=1) for delivery in found)
    assert consumer.recorded() == {}


async def test_an_event_the_consumer_cannot_read_is_a_dead_letter_and_the_rest_are_handled() -> None:
    world = World(2)
    await world.publish()
    unknown = EventEnvelope(uuid4(), LicenseActivatedV1.NAME, NOW, {}, version=99)
    await world.outbox.add([unknown])
    await world.ledger.open([Delivery(unknown.event_id, Recorder.name, DeliveryStatus.PENDING, 0, NOW)])
    await world.uow.commit()
    consumer = Recorder(world.uow)
    outcomes = await world.deliver(consumer, [*world.ids, unknown.event_id])
    assert outcomes == dict.fromkeys(world.ids, DeliveryOutcome.HANDLED) | {unknown.event_id: DeliveryOutcome.DEAD}
    assert consumer.batches == [2]
