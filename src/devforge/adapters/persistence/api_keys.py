"""The api_keys table <-> the ApiKey aggregate."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables import api_keys
from devforge.domain.identity.api_key import ApiKey


class SqlaApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, key: ApiKey) -> None:
        await self._session.execute(insert(api_keys).values(_row(key)))

    async def get(self, key_id: UUID, *, for_update: bool = False) -> ApiKey | None:
        query = select(api_keys).where(api_keys.c.id == key_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return api_key_of(row) if row else None

    async def get_by_digest(self, digest: str) -> ApiKey | None:
        row = (await self._session.execute(select(api_keys).where(api_keys.c.digest == digest))).mappings().first()
        return api_key_of(row) if row else None

    async def list_for_owner(self, owner_id: UUID) -> list[ApiKey]:
        query = (
            select(api_keys)
            .where(api_keys.c.owner_id == owner_id)
            .order_by(api_keys.c.created_at.desc(), api_keys.c.id.desc())
        )
        return [api_key_of(row) for row in (await self._session.execute(query)).mappings()]

    async def update(self, key: ApiKey) -> None:
        await self._session.execute(update(api_keys).where(api_keys.c.id == key.id).values(_row(key)))

    async def record_use(self, key_id: UUID, at: datetime) -> None:
        await self._session.execute(
            update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(last_used_at=at)
        )


def _row(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "owner_id": key.owner_id,
        "name": key.name,
        "prefix": key.prefix,
        "digest": key.digest,
        "scopes": sorted(key.scopes),
        "created_at": key.created_at,
        "expires_at": key.expires_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


def api_key_of(row: Any) -> ApiKey:
    return ApiKey(
        id=row["id"],
        owner_id=row["owner_id"],
        name=row["name"],
        prefix=row["prefix"],
        digest=row["digest"],
        scopes=frozenset(row["scopes"]),
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )
