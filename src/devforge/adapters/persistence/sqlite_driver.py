"""SQLAlchemy's aiosqlite driver with one trip to the connection's thread a statement.

Stock, every step of a statement is a hop of its own to aiosqlite's thread and back: make the
cursor, execute, fetch the rows, close the cursor (three or four hops a statement). Each hop
wakes the thread and then the event loop, and on a busy loop the way back waits for the GIL:
the embedded activation's five statements were about fifteen hops, most of the API process's
CPU an activation beside the request itself (bench/README.md). Here a statement is one function
run in the thread (cursor, execute, fetch, close) and its description, row count, last row id
and rows come back together; the statement, its errors and the transaction are pysqlite's as
before (pysqlite still begins the transaction at the first write). Commit and rollback were one
hop already. Server-side cursors (streaming) keep the stock cursor.

It reaches one private of aiosqlite, as SQLAlchemy's own adapter does (its isolation level
setter): the queue of the connection's thread, through ``Connection._execute``, and the sqlite3
connection (``_conn``), used only from that thread."""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

_Outcome = tuple[Any, int, int | None, Sequence[Any]]


def _execute(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    """In the connection's thread: the whole statement, its cursor closed."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        return description, cursor.rowcount, cursor.lastrowid, cursor.fetchall() if description else ()
    finally:
        cursor.close()


def _executemany(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return cursor.description, cursor.rowcount, cursor.lastrowid, ()
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement is one trip to the thread; it holds no cursor there."""

    __slots__ = ("_outcome",)

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No aiosqlite cursor is made (a hop): ``_cursor`` None also tells ``close`` there is none.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._outcome: _Outcome = (None, -1, None, ())

    @property
    def description(self) -> Any:
        return self._outcome[0]

    @property
    def rowcount(self) -> int:
        return self._outcome[1]

    @property
    def lastrowid(self) -> int:
        return self._outcome[2]  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # the rows are all fetched with the statement

    async def _async_soft_close(self) -> None:
        return  # nothing open in the thread

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            outcome = await self._run(_execute, operation, parameters)
            self._outcome = outcome
            self._rows = collections.deque(outcome[3])

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            self._outcome = await self._run(_executemany, operation, seq_of_parameters)
            self._rows = collections.deque()

    async def _run(self, step: Any, operation: Any, parameters: Any) -> _Outcome:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        return await connection._execute(step, connection._conn, operation, parameters)  # type: ignore[no-untyped-call,no-any-return]


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor  # type: ignore[assignment]  # a subclass: mypy compares its properties


class OneTripAiosqlite(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module to hand ``create_async_engine(..., module=...)`` for SQLite."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        stock = super().connect(*arg, **kw)
        return OneTripConnection(self, stock._connection)
