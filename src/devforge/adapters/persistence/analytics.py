"""Analytics' ingestion keys on the service's database."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.analytics import analytics_ingestion_keys as keys
from devforge.domain.analytics.ingestion_key import IngestionKey


class SqlaIngestionKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, key: IngestionKey) -> None:
        await self._session.execute(insert(keys).values(_row(key)))

    async def get(self, key_id: UUID) -> IngestionKey | None:
        row = (await self._session.execute(select(keys).where(keys.c.id == key_id))).mappings().first()
        return IngestionKey(**row) if row else None

    async def get_by_digest(self, digest: str) -> IngestionKey | None:
        row = (await self._session.execute(select(keys).where(keys.c.digest == digest))).mappings().first()
        return IngestionKey(**row) if row else None

    async def list(self) -> list[IngestionKey]:
        query = select(keys).order_by(keys.c.created_at.desc(), keys.c.id.desc())
        return [IngestionKey(**row) for row in (await self._session.execute(query)).mappings()]

    async def update(self, key: IngestionKey) -> None:
        await self._session.execute(update(keys).where(keys.c.id == key.id).values(_row(key)))


def _row(key: IngestionKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "digest": key.digest,
        "created_by": key.created_by,
        "created_at": key.created_at,
        "revoked_at": key.revoked_at,
    }
