"""The reviewers' queue on SQL: passed versions by their state, and a publisher's approved count."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.marketplace import _version
from devforge.adapters.persistence.tables.marketplace import marketplace_versions
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState

VERSIONS = marketplace_versions.c


class SqlaReviewQueue:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def awaiting(self, *, publisher_id: UUID | None = None, limit: int = 500) -> list[ExtensionVersion]:
        query = select(marketplace_versions).where(
            VERSIONS.state == ReviewState.PASSED.value, VERSIONS.deleted_at.is_(None)
        )
        if publisher_id is not None:
            query = query.where(VERSIONS.publisher_id == publisher_id)
        query = query.order_by(VERSIONS.uploaded_at, VERSIONS.id).limit(limit)
        return [_version(row) for row in (await self._session.execute(query)).mappings()]

    async def approved_count(self, publisher_id: UUID) -> int:
        query = select(func.count()).where(
            VERSIONS.publisher_id == publisher_id, VERSIONS.state == ReviewState.APPROVED.value
        )
        return int((await self._session.execute(query.select_from(marketplace_versions))).scalar_one())
