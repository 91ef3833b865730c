from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from devforge.application.common.integration_events import EventEnvelope


class Outbox(Protocol):
    """Transactional: events added here are stored in the same transaction as the state change
    that raised them, and become visible to the relay only when that transaction commits."""

    async def add(self, events: Sequence[EventEnvelope]) -> None: ...

    async def claim_unrelayed(self, limit: int) -> list[EventEnvelope]:
        """Oldest first; rows claimed by one relay are skipped by a concurrent one."""
        ...

    async def mark_relayed(self, event_ids: Sequence[UUID]) -> None: ...

    async def get(self, event_id: UUID) -> EventEnvelope | None: ...

    async def get_many(self, event_ids: Sequence[UUID]) -> list[EventEnvelope]:
        """The events of these ids that exist, in no particular order."""
        ...
