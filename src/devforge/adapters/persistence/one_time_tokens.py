"""The ``one_time_tokens`` table <-> the OneTimeToken aggregate."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.one_time_tokens import one_time_tokens
from devforge.domain.identity.errors import TokenAlreadyUsed
from devforge.domain.identity.one_time_token import OneTimeToken, TokenPurpose

_t = one_time_tokens.c


class SqlaOneTimeTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: OneTimeToken) -> None:
        await self._session.execute(insert(one_time_tokens).values(_row(token)))

    async def get_by_digest(self, digest: str, *, for_update: bool = False) -> OneTimeToken | None:
        query = select(one_time_tokens).where(_t.digest == digest)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return _token(row) if row else None

    async def list_live_for_user(self, user_id: UUID, purpose: TokenPurpose, now: datetime) -> list[OneTimeToken]:
        query = (
            select(one_time_tokens)
            .where(
                _t.user_id == user_id,
                _t.purpose == purpose.value,
                _t.used_at.is_(None),
                _t.superseded_at.is_(None),
                _t.expires_at > now,
            )
            .order_by(_t.issued_at)
        )
        return [_token(row) for row in (await self._session.execute(query)).mappings()]

    async def update(self, token: OneTimeToken) -> None:
        """Only a live row changes: the guard stands in for the row lock SQLite does not have."""
        result = await self._session.execute(
            update(one_time_tokens)
            .where(_t.id == token.id, _t.used_at.is_(None), _t.superseded_at.is_(None))
            .values(used_at=token.used_at, superseded_at=token.superseded_at)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise TokenAlreadyUsed("This link was already used.", field="token")


def _row(token: OneTimeToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "user_id": token.user_id,
        "purpose": token.purpose.value,
        "digest": token.digest,
        "issued_at": token.issued_at,
        "expires_at": token.expires_at,
        "used_at": token.used_at,
        "superseded_at": token.superseded_at,
    }


def _token(row: Any) -> OneTimeToken:
    return OneTimeToken(
        id=row["id"],
        user_id=row["user_id"],
        purpose=TokenPurpose(row["purpose"]),
        digest=row["digest"],
        issued_at=row["issued_at"],
        expires_at=row["expires_at"],
        used_at=row["used_at"],
        superseded_at=row["superseded_at"],
    )
