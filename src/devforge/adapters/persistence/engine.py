from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Table, event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import PoolResetState
from sqlalchemy.util.concurrency import await_only, in_greenlet

from devforge.adapters.persistence.sqlite_driver import OneTripAiosqlite

SQLITE_BUSY_TIMEOUT_MS = 15_000
"""How long a pooled SQLite connection's statement waits for another process's lock."""


def make_engine(url: str, *, pool_size: int = 30, echo: bool = False) -> AsyncEngine:
    """SQLite gets WAL (readers never wait for the writer), enforced foreign keys and a busy
    timeout; its folder is created. PostgreSQL gets a bounded, recycled pool. Neither puts the
    statement's parameters in its errors (``hide_parameters``): they are users' emails, digests
    and names, and errors end up in logs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": 15},
            pool_reset_on_return=None,
            module=OneTripAiosqlite(),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine.pool, "reset", _rollback_if_open)
        SqliteWriterGate().watch(engine)
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
    busy_timeout = f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}"
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", busy_timeout, "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _rollback_if_open(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    """A SQLite connection goes back to the pool rolled back only when a transaction is still
    open on it. SQLAlchemy's default rolls back every connection returned after a commit (which
    ended the transaction already), and through aiosqlite that is one more hop to the driver's
    thread and back, a turn of the event loop, with the writer gate still held all the while.
    ``in_transaction`` is SQLite's own autocommit flag, read without a hop."""
    if state.asyncio_safe and not state.transaction_was_reset and dbapi_connection.driver_connection.in_transaction:
        dbapi_connection.rollback()


class SqliteWriterGate:
    """One writing transaction at a time per process, queued in order in front of SQLite.

    SQLite has one writer. Without the gate, 32 requests that write at once each take a thread of
    their own into SQLite's busy handler, which sleeps 1, 2, 5 ... 100 ms between tries and keeps
    sleeping after the lock is free: the tail of every write route embedded (bench/README.md).
    With it, a transaction's first write (pysqlite begins the transaction there) waits on an
    asyncio lock, first come first served, and the lock passes on the moment the connection goes
    back to the pool after its COMMIT or ROLLBACK. Other processes (a separate worker, the CLI)
    still meet the busy handler. A writer that waits longer than SQLite's own busy timeout goes on
    without the gate (and meets the busy handler as before), so a mistake can cost time, never a
    deadlock. One lock per event loop: a lock serves the loop it was made on."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
    WAIT_SECONDS = 15.0
    HELD = "devforge_writer_gate"

    def __init__(self) -> None:
        self._locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = WeakKeyDictionary()

    def watch(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._before_execute)
        for released in ("checkin", "invalidate", "soft_invalidate", "close"):
            event.listen(engine.sync_engine.pool, released, self._release)
        _GATES[engine.sync_engine] = self

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """The gate for a write that is not a pooled connection's (``loop_writes.py``): taken in
        turn with the pooled writers, given back when the block ends."""
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        acquired = await self._acquire(lock)
        try:
            yield
        finally:
            if acquired:
                lock.release()

    async def enter(self, info: dict[Any, Any]) -> None:
        """The gate for a write sent to the pooled connection around SQLAlchemy's execution
        (``in_transaction.py``), taken as that connection's first write statement would take it
        (``info``: the pooled connection's) and given back with the connection."""
        if self.HELD not in info:
            lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
            info[self.HELD] = lock if await self._acquire(lock) else None

    def _before_execute(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        info = conn.info  # the pooled connection's: kept until it goes back to the pool
        if self.HELD in info or not statement.lstrip()[:7].upper().startswith(self.WRITES) or not in_greenlet():
            return
        await_only(self.enter(info))  # held: the lock, or None when it went on without it

    async def _acquire(self, lock: asyncio.Lock) -> bool:
        # wait_for (a task of its own, a turn of the loop even for a free gate), not asyncio.timeout:
        # with the acquire in the caller's own task (68ec076) the embedded checkout's p99 at 32
        # connections went from 156-191 to 849-1,170 ms while its median fell; why is not known.
        try:
            await asyncio.wait_for(lock.acquire(), self.WAIT_SECONDS)
        except TimeoutError:
            return False
        return True

    def _release(self, _dbapi_connection: Any, record: Any, *_: Any) -> None:
        lock = record.info.pop(self.HELD, None) if record is not None else None
        if lock is not None and lock.locked():
            lock.release()


_GATES: WeakKeyDictionary[Engine, SqliteWriterGate] = WeakKeyDictionary()


def writer_gate(engine: AsyncEngine | Engine) -> SqliteWriterGate | None:
    """The gate of an engine ``make_engine`` made for SQLite; None for any other."""
    return _GATES.get(engine.sync_engine if isinstance(engine, AsyncEngine) else engine)


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
