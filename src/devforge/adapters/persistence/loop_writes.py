"""One-statement writes on the event loop's own thread, for a SQLite database file.

A write that is one statement, atomic by itself (a sandbox checkout session's INSERT), needs no
transaction of ours around it. Through SQLAlchemy's pool and aiosqlite it still costs a pooled
connection and five hops to aiosqlite's thread and back (cursor, execute, close, commit, the
pool's reset), each a turn of the busy event loop, with SQLite's writer gate held from the
execute to the return: about a third of an embedded checkout's CPU (bench/README.md). Here it is
one ``sqlite3`` call on a connection of the loop's thread, in autocommit, the statement's bind
processing applied from its compiled form as the read path does (``read_path.py``).

It takes the process's writer gate (``SqliteWriterGate.held``) in turn with the pooled writers,
and holds it only for the call, which awaits nothing. Another process writing (the CLI, a
separate worker) would make SQLite wait in its busy handler, and on this thread that would stall
the whole loop: the connection does not wait (``busy_timeout`` 0) and ``run`` answers None, so
the caller writes the pooled way, which waits on aiosqlite's thread as before.

The connection never checkpoints the WAL below 10,000 pages (pooled connections do it at 1,000,
on their own thread), so in a process that also writes the pooled way no checkpoint and its
fsync stall the loop. Synchronous NORMAL and enforced foreign keys, as ``make_engine`` sets them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Delete, Insert, Update, exc
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.persistence.engine import SqliteWriterGate, writer_gate
from devforge.adapters.persistence.read_path import ThreadConnections

Write = Insert | Update | Delete


class LoopWrites:
    """The process's way to one-statement writes on the loop's thread: ``prepare`` a statement
    once, then run it. None from ``prepare`` on any database but a SQLite file whose engine
    ``make_engine`` made (its gate is known): write the pooled way there. Close it before the
    engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        database = engine.url.database or ""
        on_file = engine.dialect.name == "sqlite" and database not in ("", ":memory:")
        self._engine, self._gate = engine, writer_gate(engine)
        self._path = database if on_file and not database.startswith("file:") else None
        pragmas = ("busy_timeout=0", "foreign_keys=ON", "synchronous=NORMAL", "wal_autocheckpoint=10000")
        self._connections = ThreadConnections(self._path, pragmas) if self._path is not None else None

    def prepare(self, statement: Write, keys: tuple[str, ...]) -> PreparedWrite | None:
        """``keys``: the parameters every run passes (an INSERT's columns)."""
        if self._path is None or self._gate is None:
            return None
        compiled = statement.compile(dialect=self._engine.dialect, column_keys=list(keys))
        processors = compiled._bind_processors
        binds: list[tuple[str, Callable[[Any], Any] | None]] = []
        for name in compiled.positiontup or ():
            process = processors.get(name)
            if (process is not None and not callable(process)) or compiled.binds[name].expanding:
                return None
            binds.append((name, process))
        return PreparedWrite(self, self._gate, str(compiled), tuple(binds))

    def connection(self) -> sqlite3.Connection:
        assert self._connections is not None
        return self._connections.connection()

    def close(self) -> None:
        if self._connections is not None:
            self._connections.close()


class PreparedWrite:
    """One INSERT, UPDATE or DELETE compiled for SQLite once."""

    def __init__(
        self,
        writes: LoopWrites,
        gate: SqliteWriterGate,
        sql: str,
        binds: tuple[tuple[str, Callable[[Any], Any] | None], ...],
    ) -> None:
        self._writes, self._gate, self._sql, self._binds = writes, gate, sql, binds

    async def run(self, params: Mapping[str, Any]) -> int | None:
        """The rows it wrote; None when SQLite is busy with another process's write (nothing was
        written: write the pooled way). SQLite's errors are raised as SQLAlchemy raises them
        (``IntegrityError`` for a taken unique key)."""
        values = []
        for name, process in self._binds:
            value = params[name]
            values.append(value if process is None or value is None else process(value))
        async with self._gate.held():
            try:
                return self._writes.connection().execute(self._sql, values).rowcount
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:  # BUSY_SNAPSHOT and the like too
                    return None
                raise _as_sqlalchemy(self._sql, values, error) from error
            except sqlite3.Error as error:
                raise _as_sqlalchemy(self._sql, values, error) from error


def _as_sqlalchemy(sql: str, values: list[Any], error: sqlite3.Error) -> exc.StatementError:
    return exc.DBAPIError.instance(sql, values, error, sqlite3.Error, hide_parameters=True)
