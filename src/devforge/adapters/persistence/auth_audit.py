"""The auth_audit table, written in transactions of its own."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devforge.adapters.persistence.tables import auth_audit
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAuditEntry


class SqlaAuthAuditLog:
    """Each entry is committed on its own connection, so it stays when the request's
    transaction rolls back. Callers write only while their own transaction holds no pending
    writes (SQLite has one writer at a time). Reads go through the request's own session
    (``session``): a second connection per request would let as many concurrent requests as the
    pool holds each take one and all wait for another (the bench sweep saw that pool deadlock on
    the 15-connection SQLite pool at 32 connections: every request 503 after the pool's 30 s)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession | None = None) -> None:
        self._sessionmaker, self._session = sessionmaker, session

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
        query = select(auth_audit).order_by(auth_audit.c.at.desc()).limit(limit)
        if user_id is not None:
            query = query.where(auth_audit.c.user_id == user_id)
        if self._session is not None:
            rows = (await self._session.execute(query)).mappings().all()
        else:
            async with self._sessionmaker() as session:
                rows = (await session.execute(query)).mappings().all()
        return [
            AuthAuditEntry(
                id=row["id"],
                at=row["at"],
                kind=AuditKind(row["kind"]),
                outcome=AuditOutcome(row["outcome"]),
                user_id=row["user_id"],
                email_digest=row["email_digest"],
                ip=row["ip"],
                user_agent=row["user_agent"],
                detail=row["detail"],
            )
            for row in rows
        ]
