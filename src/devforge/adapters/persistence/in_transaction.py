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
invalidated, so the pool never hands it out again. On SQLite (and for what cannot be sent as it
is: an expanding ``IN``) the statement goes through the session as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Native:
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    plain: bool = False

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


class InTransaction:
    """One statement, compiled for PostgreSQL on first use (a process may hold engines of both
    databases: the tests do)."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._native: _Native | None = None

    async def rows(self, session: AsyncSession, params: Mapping[str, Any]) -> Sequence[Row]:
        native = self._native_for(session)
        if native is None:
            found: Sequence[Row] = (await session.execute(self._statement, params)).mappings().all()  # type: ignore[call-overload]
            return found
        return await self._run(native, session, params, fetch=True)  # type: ignore[no-any-return]

    async def rowcount(self, session: AsyncSession, params: Mapping[str, Any]) -> int:
        """The rows an INSERT, UPDATE or DELETE touched."""
        native = self._native_for(session)
        if native is None:
            return (await session.execute(self._statement, params)).rowcount  # type: ignore[call-overload,no-any-return]
        status: str = await self._run(native, session, params, fetch=False)
        return int(status.rsplit(" ", 1)[-1]) if status[-1:].isdigit() else 0

    def _native_for(self, session: AsyncSession) -> _Native | None:
        """None on SQLite, and for a statement asyncpg cannot take as compiled (an expanding IN)."""
        dialect = session.get_bind().dialect
        if dialect.name != "postgresql" or dialect.driver != "asyncpg":
            return None
        if self._native is None:
            self._native = _Native.of(cast(SQLCompiler, self._statement.compile(dialect=dialect)))
        return None if self._native.plain else self._native

    @staticmethod
    async def _run(native: _Native, session: AsyncSession, params: Mapping[str, Any], *, fetch: bool) -> Any:
        sql, binds = native.sql, native.binds
        values = []
        for name, process in binds:
            value = params[name]
            values.append(value if process is None or value is None else process(value))
        connection = await session.connection()
        adapted = (await connection.get_raw_connection()).dbapi_connection
        driver = adapted.driver_connection  # type: ignore[union-attr]
        try:
            if adapted._transaction is None:  # type: ignore[union-attr]  # as its cursor's first statement does
                await adapted._start_transaction()  # type: ignore[union-attr]
            return await (driver.fetch(sql, *values) if fetch else driver.execute(sql, *values))
        except Exception as error:
            raise await _as_sqlalchemy_raises(connection, adapted, sql, error) from error


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
