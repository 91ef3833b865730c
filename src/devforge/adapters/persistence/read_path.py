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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine

Row = Mapping[str, Any]


class PreparedRead:
    """One SELECT, compiled for the engine's database once, run any number of times."""

    def __init__(self, engine: AsyncEngine, statement: Select[Any]) -> None:
        self._engine, self._statement = engine, statement
        self._native: tuple[str, tuple[str, ...]] | None = None
        if engine.dialect.name == "postgresql":
            compiled = statement.compile(dialect=engine.dialect)
            self._native = (str(compiled), tuple(compiled.positiontup or ()))

    async def rows(self, **params: Any) -> Sequence[Row]:
        async with self._engine.connect() as connection:
            if self._native is None:
                found: Sequence[Row] = (await connection.execute(self._statement, params)).mappings().all()
                return found
            sql, order = self._native
            raw = await connection.get_raw_connection()
            rows: Sequence[Row] = await raw.driver_connection.fetch(sql, *(params[name] for name in order))  # type: ignore[union-attr]
            return rows

    async def row(self, **params: Any) -> Row | None:
        found = await self.rows(**params)
        return found[0] if found else None


class ReadPath:
    """The process's way to plain reads: ``prepare`` a statement once, at construction of the
    reader, then call it. One per engine (app scope)."""

    def __init__(self, engine: AsyncEngine) -> None:
        # SQLite needs no autocommit setting: its driver begins a transaction only before a
        # write, so a SELECT already runs outside one. Setting it there costs three more hops to
        # aiosqlite's thread per read (SQLAlchemy reads and sets the level on every checkout):
        # eight instead of five, about a third of a sequential read's time (bench/README.md).
        sqlite = engine.dialect.name == "sqlite"
        self._engine = engine if sqlite else engine.execution_options(isolation_level="AUTOCOMMIT")

    def prepare(self, statement: Select[Any]) -> PreparedRead:
        return PreparedRead(self._engine, statement)
