"""The reviewers' queue over the in-memory versions."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState


class InMemoryReviewQueue:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")

    async def awaiting(self, *, publisher_id: UUID | None = None, limit: int = 500) -> list[ExtensionVersion]:
        waiting = [
            row
            for row in self._rows.values()
            if row.state is ReviewState.PASSED
            and row.deleted_at is None
            and (publisher_id is None or row.publisher_id == publisher_id)
        ]
        waiting.sort(key=lambda row: (row.uploaded_at, row.id.int))
        return [detached(row) for row in waiting[:limit]]

    async def approved_count(self, publisher_id: UUID) -> int:
        return sum(
            1 for row in self._rows.values() if row.publisher_id == publisher_id and row.state is ReviewState.APPROVED
        )
