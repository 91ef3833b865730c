"""Hand due deliveries to a worker: the delivery ledger is the job queue."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.deliveries import DeliveryLedger
from devforge.application.common.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """One consumer to run on one event."""

    event_id: UUID
    consumer: str


@dataclass(frozen=True, slots=True)
class DeliveryBatch:
    """One consumer that handles batches (``BatchConsumer``) to run on several events at once:
    the ones it was due for in the same claim."""

    consumer: str
    event_ids: tuple[UUID, ...]


class ClaimDueDeliveries:
    """A worker claims only as many due deliveries as it has free slots, and starts them at
    once, so no worker holds work it is not doing. The claim is a short lease, committed here:
    no other worker claims the same delivery until it runs out. A delivery that is running is
    also locked by its own transaction (``DeliverEvent``), which claims skip, so the lease only
    has to cover the moment between the claim and the start, and the moment between a failure
    and its record. When a worker dies, its deliveries are claimed again once their lease ends."""

    def __init__(self, uow: UnitOfWork, ledger: DeliveryLedger, clock: Clock, lease: timedelta) -> None:
        self._uow, self._ledger, self._clock, self._lease = uow, ledger, clock, lease

    async def __call__(
        self, limit: int, *, only: Collection[str] | None = None, skipping: Collection[str] = ()
    ) -> list[DeliveryJob]:
        """``only`` / ``skipping``: the consumers whose deliveries to take, or to leave (a worker
        claims for its batch consumers apart from the others)."""
        if limit <= 0:
            return []
        now = self._clock.now()
        claimed = await self._ledger.claim_due(now, limit, lease_until=now + self._lease, only=only, skipping=skipping)
        await self._uow.commit()
        return [DeliveryJob(delivery.event_id, delivery.consumer) for delivery in claimed]
