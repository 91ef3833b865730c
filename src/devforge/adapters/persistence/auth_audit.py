"""The auth_audit table, each entry written by a statement of its own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.one_statement import one_statement, one_statement_engine
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables import auth_audit
from devforge.adapters.persistence.types import as_utc
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAuditEntry

_COLUMNS = ("id", "at", "kind", "outcome", "user_id", "email_digest", "ip", "user_agent", "detail")
_INSERT = insert(auth_audit)


class SqlaAuthAuditLog:
    """Each entry is committed on its own connection, so it stays when the request's
    transaction rolls back: one INSERT atomic by itself, a single round trip on PostgreSQL (no
    BEGIN and COMMIT around it) and on a SQLite file a write on the loop's thread
    (``one_statement.py``, ``loop_writes.py``). Callers write only while their own transaction
    holds no pending writes (SQLite has one writer at a time). Reads are one statement on the common read path
    (``read_path.py``), holding a pooled connection for that statement alone; the reading request
    holds no other (its authorization reads the near cache), so as many concurrent readers as the
    pool holds never each wait for a second connection (the bench sweep once saw that pool
    deadlock: every request 503 after the pool's 30 s)."""

    def __init__(self, engine: AsyncEngine, reads: ReadPath, writes: LoopWrites) -> None:
        self._one_statement = one_statement_engine(engine)
        self._insert_here = writes.prepare(_INSERT, _COLUMNS)
        self._pages = {mine: reads.prepare(_page(by_user=mine)) for mine in (False, True)}

    async def record(self, entry: AuthAuditEntry) -> None:
        row = {
            "id": entry.id,
            "at": entry.at,
            "kind": entry.kind.value,
            "outcome": entry.outcome.value,
            "user_id": entry.user_id,
            "email_digest": entry.email_digest,
            "ip": entry.ip,
            "user_agent": entry.user_agent,
            "detail": entry.detail,
        }
        if self._insert_here is not None and await self._insert_here.run(row) is not None:
            return
        async with one_statement(self._one_statement) as connection:  # or another process writes SQLite
            await connection.execute(_INSERT, row)

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
