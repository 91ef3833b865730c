"""A publisher's approved count on SQL (the review run's probation check)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace import marketplace_versions
from devforge.domain.marketplace.version import ReviewState

VERSIONS = marketplace_versions.c


class SqlaReviewQueue:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def approved_count(self, publisher_id: UUID) -> int:
        query = select(func.count()).where(
            VERSIONS.publisher_id == publisher_id, VERSIONS.state == ReviewState.APPROVED.value
        )
        return int((await self._session.execute(query.select_from(marketplace_versions))).scalar_one())
