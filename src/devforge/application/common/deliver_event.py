"""Run one consumer on one event, exactly once in effect."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from uuid import UUID

import structlog

from devforge.application.common.clock import Clock
from devforge.application.common.consumers import EventConsumer
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)


class DeliveryOutcome(StrEnum):
    HANDLED = "handled"
    SKIPPED = "skipped"
    FAILED = "failed"
    DEAD = "dead"


class DeliverEvent:
    """The delivery row is locked, the consumer runs, and DONE is written in the same
    transaction, so a job delivered twice (or by two workers at once) has its effect once.
    A failing consumer's writes are rolled back and the failure is recorded on its own."""

    def __init__(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        ledger: DeliveryLedger,
        clock: Clock,
        max_attempts: int = 5,
        base_delay: timedelta = timedelta(seconds=2),
    ) -> None:
        self._uow, self._outbox, self._ledger, self._clock = uow, outbox, ledger, clock
        self._max_attempts, self._base_delay = max_attempts, base_delay

    async def __call__(self, consumer: EventConsumer, event_id: UUID) -> DeliveryOutcome:
        delivery = await self._ledger.get(event_id, consumer.name, for_update=True)
        event = await self._outbox.get(event_id)
        if delivery is None or event is None or delivery.status is not DeliveryStatus.PENDING:
            await self._uow.rollback()
            return DeliveryOutcome.SKIPPED
        try:
            await consumer.handle(event)
            delivery.succeed(self._clock.now())
            await self._ledger.save(delivery)
            await self._uow.commit()
            return DeliveryOutcome.HANDLED
        except Exception as error:
            await self._uow.rollback()
            reason = f"{type(error).__name__}: {error}"
            log.warning("consumer_failed", consumer=consumer.name, event_id=str(event_id), error=reason)
        return await self._record_failure(consumer.name, event_id, reason)

    async def _record_failure(self, consumer: str, event_id: UUID, reason: str) -> DeliveryOutcome:
        delivery = await self._ledger.get(event_id, consumer, for_update=True)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING:
            await self._uow.rollback()
            return DeliveryOutcome.SKIPPED
        delivery.fail(error=reason, now=self._clock.now(), max_attempts=self._max_attempts, base_delay=self._base_delay)
        await self._ledger.save(delivery)
        await self._uow.commit()
        return DeliveryOutcome.FAILED if delivery.status == DeliveryStatus.PENDING else DeliveryOutcome.DEAD
