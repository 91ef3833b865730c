"""Ratings and downloaders on SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace_reviews import marketplace_downloaders, marketplace_ratings
from devforge.domain.marketplace.rating import Rating, RatingSummary

RATING_COLUMNS = ("id", "extension_id", "user_id", "stars", "title", "body", "created_at", "updated_at", "edited")


class SqlaDownloaders:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, extension_id: UUID, user_id: UUID, at: datetime) -> None:
        values = {"extension_id": extension_id, "user_id": user_id, "first_downloaded_at": at}
        dialect = self._session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(marketplace_downloaders).values(values)
        await self._session.execute(statement.on_conflict_do_nothing())

    async def has(self, extension_id: UUID, user_id: UUID) -> bool:
        query = select(marketplace_downloaders.c.user_id).where(
            marketplace_downloaders.c.extension_id == extension_id, marketplace_downloaders.c.user_id == user_id
        )
        return (await self._session.execute(query)).first() is not None

    async def first_downloaded_at(self, extension_id: UUID, user_id: UUID) -> datetime | None:
        query = select(marketplace_downloaders.c.first_downloaded_at).where(
            marketplace_downloaders.c.extension_id == extension_id, marketplace_downloaders.c.user_id == user_id
        )
        found: datetime | None = (await self._session.execute(query)).scalar_one_or_none()
        return found


class SqlaRatingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, rating_id: UUID) -> Rating | None:
        return await self._one(marketplace_ratings.c.id == rating_id)

    async def find(self, extension_id: UUID, user_id: UUID) -> Rating | None:
        return await self._one(
            marketplace_ratings.c.extension_id == extension_id, marketplace_ratings.c.user_id == user_id
        )

    async def add(self, rating: Rating) -> None:
        await self._session.execute(insert(marketplace_ratings).values(_row(rating)))

    async def update(self, rating: Rating) -> None:
        await self._session.execute(
            update(marketplace_ratings).where(marketplace_ratings.c.id == rating.id).values(_row(rating))
        )

    async def remove(self, rating_id: UUID) -> None:
        await self._session.execute(delete(marketplace_ratings).where(marketplace_ratings.c.id == rating_id))

    async def summary(self, extension_id: UUID) -> RatingSummary:
        query = (
            select(marketplace_ratings.c.stars, func.count())
            .where(marketplace_ratings.c.extension_id == extension_id)
            .group_by(marketplace_ratings.c.stars)
        )
        counts = {stars: count for stars, count in (await self._session.execute(query)).all()}
        return RatingSummary.of(stars for stars, count in counts.items() for _ in range(count))

    async def page(self, extension_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Rating]:
        table = marketplace_ratings
        query = select(table).where(table.c.extension_id == extension_id)
        if after is not None:
            created_at, rating_id = after
            query = query.where(
                or_(table.c.created_at < created_at, and_(table.c.created_at == created_at, table.c.id < rating_id))
            )
        query = query.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
        return [_rating(row) for row in (await self._session.execute(query)).mappings()]

    async def _one(self, *conditions: Any) -> Rating | None:
        row = (await self._session.execute(select(marketplace_ratings).where(*conditions))).mappings().first()
        return _rating(row) if row else None


def _row(rating: Rating) -> dict[str, Any]:
    return {name: getattr(rating, name) for name in RATING_COLUMNS}


def _rating(row: Any) -> Rating:
    return Rating(**{name: row[name] for name in RATING_COLUMNS})
