from __future__ import annotations

import copy
from collections.abc import Sequence
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

    async def claim_due(self, now: datetime, limit: int, *, lease_until: datetime) -> list[Delivery]:
        due = [d for d in self._rows.values() if d.status is DeliveryStatus.PENDING and d.next_attempt_at <= now]
        claimed = sorted(due, key=lambda d: d.next_attempt_at)[:limit]
        for delivery in claimed:
            delivery.next_attempt_at = lease_until
        return [copy.copy(d) for d in claimed]

    async def list_by_status(self, status: DeliveryStatus, limit: int) -> list[Delivery]:
        rows = [copy.copy(d) for d in self._rows.values() if d.status is status]
        return sorted(rows, key=lambda d: d.updated_at or d.next_attempt_at)[:limit]
