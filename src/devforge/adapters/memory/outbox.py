from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.common.integration_events import EventEnvelope


class InMemoryOutbox:
    def __init__(self, store: Tables) -> None:
        self._rows = store.table("outbox")

    async def add(self, events: Sequence[EventEnvelope]) -> None:
        for event in events:
            self._rows[event.event_id] = {"event": event, "relayed": False}

    async def claim_unrelayed(self, limit: int) -> list[EventEnvelope]:
        pending = [row["event"] for row in self._rows.values() if not row["relayed"]]
        return sorted(pending, key=lambda e: e.occurred_at)[:limit]

    async def mark_relayed(self, event_ids: Sequence[UUID]) -> None:
        for event_id in event_ids:
            self._rows[event_id]["relayed"] = True

    async def get(self, event_id: UUID) -> EventEnvelope | None:
        row = self._rows.get(event_id)
        return row["event"] if row else None

    async def get_many(self, event_ids: Sequence[UUID]) -> list[EventEnvelope]:
        return [self._rows[event_id]["event"] for event_id in dict.fromkeys(event_ids) if event_id in self._rows]
