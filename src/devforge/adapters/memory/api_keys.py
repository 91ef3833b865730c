from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.identity.api_key import ApiKey


class InMemoryApiKeyRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, ApiKey] = store.table("api_keys")

    async def add(self, key: ApiKey) -> None:
        self._rows[key.id] = detached(key)

    async def get(self, key_id: UUID, *, for_update: bool = False) -> ApiKey | None:
        row = self._rows.get(key_id)
        return detached(row) if row else None

    async def get_by_digest(self, digest: str) -> ApiKey | None:
        return next((detached(row) for row in self._rows.values() if row.digest == digest), None)

    async def list_for_owner(self, owner_id: UUID) -> list[ApiKey]:
        mine = [detached(row) for row in self._rows.values() if row.owner_id == owner_id]
        return sorted(mine, key=lambda key: (key.created_at, key.id.int), reverse=True)

    async def update(self, key: ApiKey) -> None:
        self._rows[key.id] = detached(key)

    async def record_use(self, key_id: UUID, at: datetime) -> None:
        stored = self._rows.get(key_id)
        if stored is not None and stored.revoked_at is None:
            stored.last_used_at = at
