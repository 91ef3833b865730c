from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.identity.errors import TokenAlreadyUsed
from devforge.domain.identity.one_time_token import OneTimeToken, TokenPurpose


class InMemoryOneTimeTokenRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, OneTimeToken] = store.table("one_time_tokens")

    async def add(self, token: OneTimeToken) -> None:
        self._rows[token.id] = detached(token)

    async def get_by_digest(self, digest: str, *, for_update: bool = False) -> OneTimeToken | None:
        return next((detached(row) for row in self._rows.values() if row.digest == digest), None)

    async def list_live_for_user(self, user_id: UUID, purpose: TokenPurpose, now: datetime) -> list[OneTimeToken]:
        live = [
            detached(row)
            for row in self._rows.values()
            if row.user_id == user_id and row.purpose is purpose and row.is_live(now)
        ]
        return sorted(live, key=lambda token: token.issued_at)

    async def update(self, token: OneTimeToken) -> None:
        stored = self._rows.get(token.id)
        if stored is None or stored.used_at is not None or stored.superseded_at is not None:
            raise TokenAlreadyUsed("This link was already used.", field="token")
        self._rows[token.id] = detached(token)
