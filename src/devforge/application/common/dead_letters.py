"""The dead-letter list: deliveries that failed every attempt, for an operator to inspect and revive."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.deliveries import Delivery, DeliveryLedger, DeliveryStatus
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.shared.errors import NotFound


class ListDeadLetters:
    def __init__(self, ledger: DeliveryLedger) -> None:
        self._ledger = ledger

    async def __call__(self, limit: int = 100) -> list[Delivery]:
        return await self._ledger.list_by_status(DeliveryStatus.DEAD, limit)


class ReviveDeadLetter:
    """A revived delivery gets a full new round of attempts; the relay enqueues it on its next tick."""

    def __init__(self, uow: UnitOfWork, ledger: DeliveryLedger, clock: Clock) -> None:
        self._uow, self._ledger, self._clock = uow, ledger, clock

    async def __call__(self, event_id: UUID, consumer: str) -> Delivery:
        delivery = await self._ledger.get(event_id, consumer, for_update=True)
        if delivery is None or delivery.status is not DeliveryStatus.DEAD:
            raise NotFound(f"No dead letter for event {event_id} and consumer {consumer}.")
        delivery.revive(self._clock.now())
        await self._ledger.save(delivery)
        await self._uow.commit()
        return delivery
