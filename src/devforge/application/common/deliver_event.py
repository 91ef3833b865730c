"""Run one consumer on one event, exactly once in effect."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from uuid import UUID

import structlog

from devforge.application.common.clock import Clock
from devforge.application.common.consumers import EventConsumer
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.application.common.integration_events import UndeliverableEvent, UnknownEventVersion, readable, unreadable
from devforge.application.common.outages import OutageDetector
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)


class DeliveryOutcome(StrEnum):
    HANDLED = "handled"
    SKIPPED = "skipped"
    FAILED = "failed"
    POSTPONED = "postponed"
    DEAD = "dead"


class DeliverEvent:
    """The delivery row is locked, the consumer runs, and DONE is written in the same
    transaction, so a job delivered twice (or by two workers at once) has its effect once.
    A failing consumer's writes are rolled back and the failure is recorded on its own: an
    outage (a server the consumer needs is unreachable) postpones the delivery without using up
    an attempt; any other failure counts toward ``max_attempts`` and backs off exponentially.
    An event the consumer cannot read (a version it does not know, a payload that does not fit
    the schema) is a dead letter at once, with that reason: no retry could read it either.
    If the database itself is gone, nothing can be recorded and the error propagates: the
    delivery's lease runs out and it is claimed again."""

    def __init__(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        clock: Clock,
        outages: OutageDetector,
        max_attempts: int = 5,
        base_delay: timedelta = timedelta(seconds=2),
        outage_delay: timedelta = timedelta(seconds=5),
    ) -> None:
        self._uow, self._outbox, self._ledger, self._clock = uow, outbox, ledger, clock
        self._outages, self._max_attempts = outages, max_attempts
        self._base_delay, self._outage_delay = base_delay, outage_delay

    async def __call__(self, consumer: EventConsumer, event_id: UUID) -> DeliveryOutcome:
        delivery = await self._ledger.get(event_id, consumer.name, for_update=True)
        event = await self._outbox.get(event_id)
        if delivery is None or event is None or delivery.status is not DeliveryStatus.PENDING:
            await self._uow.rollback()
            return DeliveryOutcome.SKIPPED
        try:
            if not readable(event, consumer.subscribes_to):
                raise UnknownEventVersion(unreadable(event, consumer.subscribes_to))
            await consumer.handle(event)
            delivery.succeed(self._clock.now())
            await self._ledger.save(delivery)
            await self._uow.commit()
            return DeliveryOutcome.HANDLED
        except Exception as error:
            await self._uow.rollback()
            reason = f"{type(error).__name__}: {error}"
            if isinstance(error, UndeliverableEvent):
                log.error("event_undeliverable", consumer=consumer.name, event_id=str(event_id), error=reason)
                return await self.give_up(consumer.name, event_id, reason)
            outage = self._outages.is_outage(error)
            log.warning("consumer_failed", consumer=consumer.name, event_id=str(event_id), error=reason, outage=outage)
        return await self._record_failure(consumer.name, event_id, reason, outage=outage)

    async def give_up(self, consumer: str, event_id: UUID, reason: str) -> DeliveryOutcome:
        """A delivery no consumer of this version can run (one removed or renamed, or an event it
        cannot read) goes straight to the dead-letter list, where an operator sees it, rather
        than being claimed forever."""
        delivery = await self._ledger.get(event_id, consumer, for_update=True)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING:
            await self._uow.rollback()
            return DeliveryOutcome.SKIPPED
        delivery.fail(error=reason, now=self._clock.now(), max_attempts=0, base_delay=self._base_delay)
        await self._ledger.save(delivery)
        await self._uow.commit()
        return DeliveryOutcome.DEAD

    async def postpone(self, consumer: str, event_id: UUID, reason: str) -> DeliveryOutcome:
        """A server the consumer needs was unreachable while it ran elsewhere (in a batch)."""
        return await self._record_failure(consumer, event_id, reason, outage=True)

    async def _record_failure(self, consumer: str, event_id: UUID, reason: str, *, outage: bool) -> DeliveryOutcome:
        delivery = await self._ledger.get(event_id, consumer, for_update=True)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING:
            await self._uow.rollback()
            return DeliveryOutcome.SKIPPED
        now = self._clock.now()
        if outage:
            delivery.postpone(error=reason, now=now, delay=self._outage_delay)
        else:
            delivery.fail(error=reason, now=now, max_attempts=self._max_attempts, base_delay=self._base_delay)
        await self._ledger.save(delivery)
        await self._uow.commit()
        if outage:
            return DeliveryOutcome.POSTPONED
        return DeliveryOutcome.FAILED if delivery.status == DeliveryStatus.PENDING else DeliveryOutcome.DEAD
