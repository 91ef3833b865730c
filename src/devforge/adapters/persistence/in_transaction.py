"""A hot write path's statements on PostgreSQL, sent straight to asyncpg inside the session's
transaction.

``InTransaction`` is to a unit of work what ``PreparedRead`` (``read_path.py``) is to a plain
read: a statement compiled once (from the same SQLAlchemy table definitions) with each parameter's
bind processing (JSON to text, aware datetimes checked), run on the asyncpg connection under the
session, in the session's transaction, begun by SQLAlchemy's own driver adapter as its first
statement would begin it. So the transaction, its commit and its rollback stay the session's;
only SQLAlchemy's per-execution work is skipped (the compiled cache's key, the execution context,
the result object, two greenlet switches): about 150-250 µs of Python a statement, the larger part
of what a statement costs the API (an activation's, bench/README.md). Rows come back as asyncpg
records (aware datetimes, UUIDs; JSON decoded by the codec SQLAlchemy sets on every connection),
which the adapters' mapping functions take as they take SQLAlchemy's rows.

An error comes back as SQLAlchemy would raise it (``exc.DBAPIError.instance``: an
``IntegrityError``, an ``OperationalError``...), and a connection the error says is gone is
invalidated, so the pool never hands it out again. What cannot be sent as it is (an expanding
``IN``) goes through the session as before.

On a SQLite file a write (``rowcount``) runs on the event loop's thread, on the sqlite3
connection under the session (pysqlite begins the transaction at it, as at any first write), not
as a trip to aiosqlite's thread and back: an embedded activation's three writes were three trips,
each waking the thread and then the loop, a sixth of the process's CPU an activation. It first
takes the process's writer gate as that connection's first write would (``SqliteWriterGate``), so
it waits its turn behind the process's other writers without blocking the loop; SQLite's busy
handler is off for it, so a lock another process holds does not stall the loop either: the
statement then goes to the thread as before, which waits there. A read (``rows``) runs there
the same way (no gate), each column through its type's result processing (text back to UUIDs,
datetimes, JSON) as the session's rows would be: an activation's read of its license was a fourth
trip. The statement runs while the loop waits, so this is for point statements (a key's row or
rows), which take SQLite microseconds, not for one that may touch many rows.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from devforge.adapters.persistence.engine import SQLITE_BUSY_TIMEOUT_MS, SqliteWriterGate, writer_gate
from devforge.adapters.persistence.read_path import processed_rows

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Native:
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    plain: bool = False
    columns: tuple[tuple[str, Callable[[Any], Any] | None], ...] = ()  # SQLite's rows: key, result processing
    on_sqlite: bool = False  # run on the loop's thread (``_on_loop_thread``), not sent to asyncpg

    def values(self, params: Mapping[str, Any]) -> list[Any]:
        values = []
        for name, process in self.binds:
            value = params[name]
            values.append(value if process is None or value is None else process(value))
        return values

    @classmethod
    def of(cls, compiled: SQLCompiler) -> _Native:
        """Plain (the session's execution) for an expanding IN or a tuple parameter."""
        if any(bind.expanding or bind.literal_execute for bind in compiled.binds.values()):
            return cls("", (), plain=True)
        binds: list[tuple[str, Callable[[Any], Any] | None]] = []
        for name in compiled.positiontup or ():
            process = compiled._bind_processors.get(name)
            if process is not None and not callable(process):
                return cls("", (), plain=True)
            binds.append((name, process))
        return cls(str(compiled), tuple(binds))

    def read(self, found: list[Any]) -> list[Row]:
        """SQLite's rows as the session's would be: each column through its type's processing
        (text to UUIDs, datetimes and JSON)."""
        keys = tuple(key for key, _ in self.columns)
        processors = tuple((index, process) for index, (_, process) in enumerate(self.columns) if process)
        return processed_rows(found, keys, processors)


class InTransaction:
    """One statement, compiled on first use for PostgreSQL and for a SQLite file (a process may
    hold engines of both databases: the tests do)."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        # By the database and the parameters' names (an INSERT without values takes its columns
        # from them); None: the session's own execution.
        self._compiled: dict[tuple[str, tuple[str, ...]], _Native | None] = {}

    async def rows(self, session: AsyncSession, params: Mapping[str, Any]) -> Sequence[Row]:
        native = self._native_for(session, params)
        if native is not None and not native.on_sqlite:
            return await self._run(native, session, params, fetch=True)  # type: ignore[no-any-return]
        if native is not None:
            read = await _on_loop_thread(native, None, session, params)
            if read is not None:
                return native.read(cast(list[Any], read))
        found: Sequence[Row] = (await session.execute(self._statement, params)).mappings().all()  # type: ignore[call-overload]
        return found

    async def rowcount(self, session: AsyncSession, params: Mapping[str, Any]) -> int:
        """The rows an INSERT, UPDATE or DELETE touched."""
        native = self._native_for(session, params)
        if native is not None and not native.on_sqlite:
            status: str = await self._run(native, session, params, fetch=False)
            return int(status.rsplit(" ", 1)[-1]) if status[-1:].isdigit() else 0
        if native is not None:
            gate = writer_gate(session.get_bind())  # type: ignore[arg-type]  # an Engine, never a Connection here
            written = await _on_loop_thread(native, gate, session, params)
            if written is not None:
                return cast(int, written)
        return (await session.execute(self._statement, params)).rowcount  # type: ignore[call-overload,no-any-return]

    def _native_for(self, session: AsyncSession, params: Mapping[str, Any]) -> _Native | None:
        """The statement compiled for asyncpg or for a SQLite file ``make_engine`` made (its
        writer gate is known); None for any other database, and for what cannot be sent as it
        is compiled (an expanding IN)."""
        bind = session.get_bind()
        key = (bind.dialect.name, tuple(params))
        if key not in self._compiled:
            self._compiled[key] = _compile(self._statement, bind.dialect, key[1], writer_gate(bind) is not None)  # type: ignore[arg-type]
        return self._compiled[key]

    @staticmethod
    async def _run(native: _Native, session: AsyncSession, params: Mapping[str, Any], *, fetch: bool) -> Any:
        sql, values = native.sql, native.values(params)
        connection = await session.connection()
        adapted = (await connection.get_raw_connection()).dbapi_connection
        driver = adapted.driver_connection  # type: ignore[union-attr]
        try:
            if adapted._transaction is None:  # type: ignore[union-attr]  # as its cursor's first statement does
                await adapted._start_transaction()  # type: ignore[union-attr]
            return await (driver.fetch(sql, *values) if fetch else driver.execute(sql, *values))
        except Exception as error:
            raise await _as_sqlalchemy_raises(connection, adapted, sql, error) from error


def _compile(statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...], sqlite_file: bool) -> _Native | None:
    if dialect.name == "postgresql" and dialect.driver == "asyncpg":
        native = _Native.of(cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(keys))))
        return None if native.plain else native
    if dialect.name != "sqlite" or not sqlite_file:
        return None
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(keys)))
    native = _Native.of(compiled)
    if native.plain:
        return None
    columns = tuple(
        (entry.keyname, entry.type._cached_result_processor(dialect, None)) for entry in compiled._result_columns
    )
    return dataclasses.replace(native, columns=columns, on_sqlite=True)


_NO_BUSY_WAIT, _BUSY_WAIT = "PRAGMA busy_timeout = 0", f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}"


async def _on_loop_thread(
    native: _Native, gate: SqliteWriterGate | None, session: AsyncSession, params: Mapping[str, Any]
) -> int | list[Any] | None:
    """The statement on the session's sqlite3 connection, here: a write's row count (with the
    ``gate``, taken first), a read's rows (without). None when SQLite is busy (another process
    holds its lock; for a read, a checkpoint's instant): nothing was done, and the caller sends
    the statement to the thread, which waits."""
    values = native.values(params)
    connection = await session.connection()
    if gate is not None:
        await gate.enter(connection.sync_connection.info)  # type: ignore[union-attr]  # a live connection has one
    adapted = (await connection.get_raw_connection()).dbapi_connection
    sqlite: sqlite3.Connection = adapted._connection._conn  # type: ignore[union-attr]  # aiosqlite's, as its thread uses it
    sqlite.execute(_NO_BUSY_WAIT)
    try:
        cursor = sqlite.execute(native.sql, values)
        done: int | list[Any] = cursor.fetchall() if gate is None else cursor.rowcount
        cursor.close()
        return done
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:  # BUSY_SNAPSHOT and the like too
            return None
        raise exc.DBAPIError.instance(native.sql, values, error, sqlite3.Error, hide_parameters=True) from error
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(native.sql, values, error, sqlite3.Error, hide_parameters=True) from error
    finally:
        sqlite.execute(_BUSY_WAIT)  # as every pooled connection has it


async def _as_sqlalchemy_raises(connection: AsyncConnection, adapted: Any, sql: str, error: Exception) -> Exception:
    """The error as SQLAlchemy's own execution would raise it, the connection invalidated if gone."""
    dbapi = connection.dialect.loaded_dbapi
    try:
        adapted._handle_exception(error)  # asyncpg's error -> the DB-API error SQLAlchemy's adapter raises
    except dbapi.Error as translated:
        gone = connection.dialect.is_disconnect(translated, adapted, None)
        if gone:
            await connection.invalidate()
        return exc.DBAPIError.instance(
            sql, None, translated, dbapi.Error, hide_parameters=True, connection_invalidated=gone
        )
    except Exception as other:  # not a database error (a value asyncpg cannot encode): as it is
        return other
    return error
