"""Analytics' ingestion keys and erasure records on the service's database."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.read_path import ReadPath, Row
from devforge.adapters.persistence.tables.analytics import analytics_erasures as erasures
from devforge.adapters.persistence.tables.analytics import analytics_ingestion_keys as keys
from devforge.domain.analytics.erasure import Erasure, ErasureSubject
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


class SqlaErasureRecords:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, erasure: Erasure) -> None:
        await self._session.execute(
            insert(erasures).values(
                id=erasure.id,
                distinct_id=erasure.subject.distinct_id,
                user_id=erasure.subject.user_id,
                distinct_ids=json.dumps(list(erasure.distinct_ids)),
                user_ids=json.dumps([str(each) for each in erasure.user_ids]),
                events=erasure.events,
                requested_by=erasure.requested_by,
                requested_at=erasure.requested_at,
            )
        )


class SqlaAnalyticsAdminReads:
    """The common read path (``read_path.py``): one statement a call, no ORM session."""

    def __init__(self, reads: ReadPath) -> None:
        self._keys = reads.prepare(select(keys).order_by(keys.c.created_at.desc(), keys.c.id.desc()))
        self._erasures = reads.prepare(
            select(erasures).order_by(erasures.c.requested_at.desc(), erasures.c.id.desc()).limit(bindparam("limit"))
        )

    async def ingestion_keys(self) -> list[IngestionKey]:
        return [IngestionKey(**row) for row in await self._keys.rows()]

    async def erasures(self, limit: int) -> list[Erasure]:
        return [_erasure(row) for row in await self._erasures.rows(limit=limit)]


def _erasure(row: Row) -> Erasure:
    return Erasure(
        row["id"],
        ErasureSubject(row["distinct_id"], row["user_id"]),
        tuple(json.loads(row["distinct_ids"])),
        tuple(UUID(each) for each in json.loads(row["user_ids"])),
        row["events"],
        row["requested_by"],
        row["requested_at"],
    )
