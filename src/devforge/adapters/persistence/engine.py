from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(url: str, *, pool_size: int = 30, echo: bool = False) -> AsyncEngine:
    """SQLite gets WAL (readers never wait for the writer), enforced foreign keys and a busy
    timeout; its folder is created. PostgreSQL gets a bounded, recycled pool. Neither puts the
    statement's parameters in its errors (``hide_parameters``): they are users' emails, digests
    and names, and errors end up in logs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=echo, hide_parameters=True, connect_args={"timeout": 15})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No overflow: a connection opened for a burst is closed again when it is returned, and at 32
    # connections a pool of 20 + 10 opened and closed connections all day (asyncpg's connect was
    # 4-16 % of an API process's samples; bench/README.md). A request past the pool waits its turn.
    # No pre-ping on every checkout: it costs three round trips each (bench/README.md). Only a
    # connection that sat idle is pinged (see _ping_if_idle); connections are recycled too.
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=300,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )
    event.listen(engine.sync_engine, "checkin", _note_checkin)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


CONNECT_TIMEOUT_SECONDS = 5
IDLE_PING_SECONDS = 1.0
"""A pooled connection idle for longer is pinged before use: a process that served nothing while
PostgreSQL restarted holds only dead connections, and its first request must not be the one to
find out. A busy process checks its connections out far more often and pays nothing."""


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        # The pool drops this connection and every other as old (they died with the same server)
        # and connects anew: the request gets a live connection, or the outage as it is now.
        raise exc.InvalidatePoolError(str(error)) from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=15000", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def insert_unless_taken(session: AsyncSession, table: Table, values: dict[str, Any]) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the session's dialect: the result's ``rowcount``
    is 0 when a unique key was taken. Use it, not a savepoint around an insert that catches
    ``IntegrityError``: on SQLite pysqlite opens its transaction only at the first INSERT/UPDATE/
    DELETE, so a savepoint opened before any is the outermost transaction, and its release
    committed the row whatever the unit of work did next."""
    dialect_insert = postgresql.insert if dialect_of(session) == "postgresql" else sqlite.insert
    return dialect_insert(table).values(values).on_conflict_do_nothing()
