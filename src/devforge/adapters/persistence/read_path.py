"""The common read path: a plain read is one statement on a pooled connection, nothing more.

No ORM session, no transaction (on PostgreSQL the connection is in autocommit, so there is no
BEGIN and no ROLLBACK round trip; SQLite's driver begins none for a SELECT), the connection held
for the statement alone. What it reads is committed
data. Writes keep their unit of work (``SqlaUnitOfWork``); a read that must see the caller's own
uncommitted writes, or lock a row, goes through the repository in that unit of work instead.

On PostgreSQL the statement is compiled once (from the same SQLAlchemy table definitions) and
sent straight to the asyncpg connection under SQLAlchemy's pool, skipping SQLAlchemy's
per-execution work: measured, that is most of what a primary-key read costs in Python
(bench/README.md). SQLAlchemy's result processing is skipped with it, so the rows hold asyncpg's
values (aware datetimes, UUIDs): the mapping functions of the adapters take either.

On SQLite (a database file) the statement runs on the event loop's own thread, on a connection
of the ``ReadPath``'s that only reads (``PRAGMA query_only``), in autocommit: no trip to
aiosqlite's thread at all. Through aiosqlite every step of a read (cursor, execute, fetch,
close, the pool's reset) is a hop to the connection's thread and back, and each hop back waits
for the GIL the busy event loop holds: the embedded sweep's reads spent more time in those
handoffs than in SQLite (bench/README.md, "Issue 12: the embedded read path"). A plain read is
an indexed lookup of microseconds; in WAL mode it never waits for a writer. The statement's
own bind and result processing (UUIDs, aware datetimes, booleans, JSON) is applied from its
compiled form, so the rows are what SQLAlchemy would hand back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, ColumnElement, Select, any_, bindparam, exc
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

Row = Mapping[str, Any]


class JsonList(FunctionElement[Any]):
    """The aggregated values as one JSON array, for a joined read that folds a one-to-many side
    into its row: ``json_agg`` on PostgreSQL, ``json_group_array`` on SQLite. Over no rows it is
    NULL on PostgreSQL and ``[]`` on SQLite: read both as empty."""

    type = JSON()
    inherit_cache = True
    name = "json_list"


class JsonMap(FunctionElement[Any]):
    """Aggregated (key, value) pairs as one JSON object: ``json_object_agg`` on PostgreSQL,
    ``json_group_object`` on SQLite (NULL and ``{}`` over no rows; keys in no promised order)."""

    type = JSON()
    inherit_cache = True
    name = "json_map"


@compiles(JsonList, "postgresql")
def _json_agg(element: JsonList, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_agg({compiler.process(element.clauses, **kw)})"


@compiles(JsonList)
def _json_group_array(element: JsonList, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array({compiler.process(element.clauses, **kw)})"


@compiles(JsonMap, "postgresql")
def _json_object_agg(element: JsonMap, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object_agg({compiler.process(element.clauses, **kw)})"


@compiles(JsonMap)
def _json_group_object(element: JsonMap, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_object({compiler.process(element.clauses, **kw)})"


class PreparedRead:
    """One SELECT, compiled for the engine's database once, run any number of times."""

    def __init__(self, engine: AsyncEngine, statement: Select[Any], local: LocalReads | None = None) -> None:
        self._engine, self._statement = engine, statement
        self._native: tuple[str, tuple[str, ...]] | None = None
        self._local = _LocalStatement.of(engine, statement, local) if local is not None else None
        if engine.dialect.name == "postgresql":
            compiled = statement.compile(dialect=engine.dialect)
            self._native = (str(compiled), tuple(compiled.positiontup or ()))

    async def rows(self, **params: Any) -> Sequence[Row]:
        if self._local is not None:
            return self._local.rows(params)
        if self._native is None:
            async with self._engine.connect() as connection:
                found: Sequence[Row] = (await connection.execute(self._statement, params)).mappings().all()
                return found
        # Not ``async with``: its exit hands the connection back through a task of its own behind a
        # shield, two more turns of a busy event loop for every read (bench/README.md, "Writes").
        # The statement went to asyncpg directly, so SQLAlchemy began nothing: returning the
        # connection resets nothing on the server and awaits nothing a cancellation could cut.
        sql, order = self._native
        connection = await self._engine.connect().start()
        try:
            raw = await connection.get_raw_connection()
            rows: Sequence[Row] = await raw.driver_connection.fetch(sql, *(params[name] for name in order))  # type: ignore[union-attr]
            return rows
        finally:
            await connection.close()

    async def row(self, **params: Any) -> Row | None:
        found = await self.rows(**params)
        return found[0] if found else None


class ThreadConnections:
    """Connections to one SQLite database file, one per thread that uses them (the event loop's,
    in practice), each opened on first use with ``pragmas``, in autocommit, all closed by ``close``."""

    def __init__(self, path: str, pragmas: tuple[str, ...]) -> None:
        self._path, self._pragmas = path, pragmas
        self._connections: dict[int, sqlite3.Connection] = {}

    def connection(self) -> sqlite3.Connection:
        thread = threading.get_ident()
        found = self._connections.get(thread)
        if found is None:
            found = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            for pragma in self._pragmas:
                found.execute(f"PRAGMA {pragma}")
            self._connections[thread] = found
        return found

    def close(self) -> None:
        connections, self._connections = list(self._connections.values()), {}
        for connection in connections:
            connection.close()


class LocalReads(ThreadConnections):
    """The SQLite database file's read-only connection, one per thread that reads, closed with the
    ``ReadPath``. A reader in WAL mode waits for nobody; the short busy timeout only covers a
    checkpoint's rare instant, and it would stall the event loop, so it stays short."""

    def __init__(self, path: str) -> None:
        super().__init__(path, ("busy_timeout=1000", "query_only=ON"))


class _LocalStatement:
    """A SELECT compiled for SQLite once: its SQL, its parameters in order with their bind
    processing, and each result column's key and result processing."""

    def __init__(
        self,
        local: LocalReads,
        sql: str,
        binds: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...],
        columns: tuple[tuple[str, Callable[[Any], Any] | None], ...],
    ) -> None:
        self._local, self._sql, self._binds = local, sql, binds
        self._keys = tuple(key for key, _ in columns)
        self._processors = tuple((index, process) for index, (_, process) in enumerate(columns) if process)

    @classmethod
    def of(cls, engine: AsyncEngine, statement: Select[Any], local: LocalReads) -> _LocalStatement | None:
        """None for what it cannot run as it is (an expanding IN, a tuple parameter): that read
        keeps the pooled connection."""
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        if any(bind.expanding or bind.literal_execute for bind in compiled.binds.values()):
            return None
        processors = compiled._bind_processors
        binds: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
        for name in names:
            process = processors.get(name)
            if process is not None and not callable(process):
                return None
            binds.append((name, compiled.binds[name].effective_value, process))
        columns = tuple(
            (entry.keyname, entry.type._cached_result_processor(dialect, None)) for entry in compiled._result_columns
        )
        return cls(local, str(compiled), tuple(binds), columns)

    def rows(self, params: Mapping[str, Any]) -> list[Row]:
        values = []
        for name, default, process in self._binds:
            value = params.get(name, default)
            values.append(value if process is None or value is None else process(value))
        try:
            found = self._local.connection().execute(self._sql, values).fetchall()
        except sqlite3.Error as error:  # as SQLAlchemy raises it, so callers see one kind of error
            raise exc.DBAPIError.instance(self._sql, values, error, sqlite3.Error, hide_parameters=True) from error
        return processed_rows(found, self._keys, self._processors)


def processed_rows(
    found: Sequence[Sequence[Any]], keys: tuple[str, ...], processors: tuple[tuple[int, Callable[[Any], Any]], ...]
) -> list[Row]:
    """SQLite's raw rows as mappings, each listed column through its type's result processing."""
    if not processors:
        return [dict(zip(keys, row, strict=True)) for row in found]
    rows: list[Row] = []
    for raw in found:
        row = list(raw)
        for index, process in processors:
            row[index] = process(row[index])
        rows.append(dict(zip(keys, row, strict=True)))
    return rows


class ReadPath:
    """The process's way to plain reads: ``prepare`` a statement once, at construction of the
    reader, then call it. One per engine (app scope); ``close`` it before the engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        # SQLite needs no autocommit setting: its driver begins a transaction only before a
        # write, so a SELECT already runs outside one. Setting it there costs three more hops to
        # aiosqlite's thread per read (SQLAlchemy reads and sets the level on every checkout):
        # eight instead of five, about a third of a sequential read's time (bench/README.md).
        sqlite = engine.dialect.name == "sqlite"
        self._engine = engine if sqlite else engine.execution_options(isolation_level="AUTOCOMMIT")
        database = engine.url.database or ""
        on_file = sqlite and database not in ("", ":memory:") and not database.startswith("file:")
        self._local = LocalReads(database) if on_file else None

    def prepare(self, statement: Select[Any]) -> PreparedRead:
        return PreparedRead(self._engine, statement, self._local)

    def one_of(self, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
        """``column`` is one of the list passed as ``name``: on PostgreSQL ``= ANY($n)``, the list
        sent as one array, so one compiled statement serves any number of values; elsewhere an
        expanding ``IN`` (on SQLite such a read keeps the pooled connection, see ``_LocalStatement``)."""
        if self._engine.dialect.name == "postgresql":
            return column == any_(bindparam(name, type_=ARRAY(column.type)))
        return column.in_(bindparam(name, expanding=True))

    def close(self) -> None:
        if self._local is not None:
            self._local.close()
