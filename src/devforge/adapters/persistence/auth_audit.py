"""The auth_audit table, written in transactions of its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables import auth_audit
from devforge.adapters.persistence.types import as_utc
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAuditEntry


class SqlaAuthAuditLog:
    """Each entry is committed on its own connection, so it stays when the request's
    transaction rolls back. Callers write only while their own transaction holds no pending
    writes (SQLite has one writer at a time). Reads are one statement on the common read path
    (``read_path.py``), holding a pooled connection for that statement alone; the reading request
    holds no other (its authorization reads the near cache), so as many concurrent readers as the
    pool holds never each wait for a second connection (the bench sweep once saw that pool
    deadlock: every request 503 after the pool's 30 s)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], reads: ReadPath) -> None:
        self._sessionmaker = sessionmaker
        self._pages = {mine: reads.prepare(_page(by_user=mine)) for mine in (False, True)}

    async def record(self, entry: AuthAuditEntry) -> None:
        async with self._sessionmaker() as session:
            await session.execute(
                insert(auth_audit).values(
                    id=entry.id,
                    at=entry.at,
                    kind=entry.kind.value,
                    outcome=entry.outcome.value,
                    user_id=entry.user_id,
                    email_digest=entry.email_digest,
                    ip=entry.ip,
                    user_agent=entry.user_agent,
                    detail=entry.detail,
                )
            )
            await session.commit()

    async def list(self, *, user_id: UUID | None = None, limit: int = 100) -> list[AuthAuditEntry]:
        params: dict[str, Any] = {"limit": limit} | ({"user_id": user_id} if user_id is not None else {})
        return [
            AuthAuditEntry(
                id=row["id"],
                at=as_utc(row["at"]),
                kind=AuditKind(row["kind"]),
                outcome=AuditOutcome(row["outcome"]),
                user_id=row["user_id"],
                email_digest=row["email_digest"],
                ip=row["ip"],
                user_agent=row["user_agent"],
                detail=row["detail"],
            )
            for row in await self._pages[user_id is not None].rows(**params)
        ]


def _page(*, by_user: bool) -> Select[Any]:
    query = select(auth_audit).order_by(auth_audit.c.at.desc()).limit(bindparam("limit"))
    return query.where(auth_audit.c.user_id == bindparam("user_id")) if by_user else query
