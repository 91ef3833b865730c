"""Ratings and downloaders on the memory store (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.marketplace.rating import Rating, RatingSummary


class InMemoryDownloaders:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[UUID, UUID], datetime] = store.table("marketplace_downloaders")

    async def record(self, extension_id: UUID, user_id: UUID, at: datetime) -> None:
        self._rows.setdefault((extension_id, user_id), at)

    async def has(self, extension_id: UUID, user_id: UUID) -> bool:
        return (extension_id, user_id) in self._rows

    async def first_downloaded_at(self, extension_id: UUID, user_id: UUID) -> datetime | None:
        return self._rows.get((extension_id, user_id))


class InMemoryRatingRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Rating] = store.table("marketplace_ratings")

    async def get(self, rating_id: UUID) -> Rating | None:
        row = self._rows.get(rating_id)
        return detached(row) if row else None

    async def find(self, extension_id: UUID, user_id: UUID) -> Rating | None:
        key = (extension_id, user_id)
        return next((detached(row) for row in self._rows.values() if (row.extension_id, row.user_id) == key), None)

    async def add(self, rating: Rating) -> None:
        if await self.find(rating.extension_id, rating.user_id) is not None:
            raise ValueError("one rating per (extension, user)")
        self._rows[rating.id] = detached(rating)

    async def update(self, rating: Rating) -> None:
        self._rows[rating.id] = detached(rating)

    async def remove(self, rating_id: UUID) -> None:
        self._rows.pop(rating_id, None)

    async def summary(self, extension_id: UUID) -> RatingSummary:
        return RatingSummary.of(row.stars for row in self._rows.values() if row.extension_id == extension_id)

    async def page(self, extension_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Rating]:
        rows = sorted(
            (row for row in self._rows.values() if row.extension_id == extension_id),
            key=lambda row: (row.created_at, row.id.int),
            reverse=True,
        )
        if after is not None:
            rows = [row for row in rows if (row.created_at, row.id.int) < (after[0], after[1].int)]
        return [detached(row) for row in rows[:limit]]
