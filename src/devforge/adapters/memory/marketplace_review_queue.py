"""A publisher's approved count over the in-memory versions."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState


class InMemoryReviewQueue:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")

    async def approved_count(self, publisher_id: UUID) -> int:
        return sum(
            1 for row in self._rows.values() if row.publisher_id == publisher_id and row.state is ReviewState.APPROVED
        )
