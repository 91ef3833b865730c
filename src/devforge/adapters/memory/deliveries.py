from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.common.deliveries import Delivery, DeliveryStatus


class InMemoryDeliveryLedger:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[UUID, str], Delivery] = store.table("deliveries")

    async def open(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self._rows.setdefault((delivery.event_id, delivery.consumer), copy.copy(delivery))

    async def get(self, event_id: UUID, consumer: str, *, for_update: bool = False) -> Delivery | None:
        row = self._rows.get((event_id, consumer))
        return copy.copy(row) if row else None

    async def save(self, delivery: Delivery) -> None:
        self._rows[(delivery.event_id, delivery.consumer)] = copy.copy(delivery)

    async def get_many(self, event_ids: Sequence[UUID], consumer: str, *, for_update: bool = False) -> list[Delivery]:
        found = (self._rows.get((event_id, consumer)) for event_id in sorted(set(event_ids)))
        return [copy.copy(row) for row in found if row is not None]

    async def save_many(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            await self.save(delivery)

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        *,
        lease_until: datetime,
        only: Collection[str] | None = None,
        skipping: Collection[str] = (),
    ) -> list[Delivery]:
        due = [
            d
            for d in self._rows.values()
            if d.status is DeliveryStatus.PENDING
            and d.next_attempt_at <= now
            and (only is None or d.consumer in only)
            and d.consumer not in skipping
        ]
        claimed = sorted(due, key=lambda d: d.next_attempt_at)[:limit]
        for delivery in claimed:
            delivery.next_attempt_at = lease_until
        return [copy.copy(d) for d in claimed]

    async def list_by_status(self, status: DeliveryStatus, limit: int) -> list[Delivery]:
        rows = [copy.copy(d) for d in self._rows.values() if d.status is status]
        return sorted(rows, key=lambda d: d.updated_at or d.next_attempt_at)[:limit]
