"""The analytics store in the process: chDB, ClickHouse's engine as a library (embedded profile
and tests). The same SQL as production; the data under ``<data dir>/analytics``.

chDB holds one data directory per process at a time (a second path is refused), so the engine
is opened once per container and closed with it. Statements run one at a time on a thread of
their own: chDB lets go of the GIL while it works, so a flush runs beside the requests."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, Protocol

from devforge.adapters.analytics.dialect_store import ClickHouseDialectStore


class ChdbStatements(Protocol):
    """What the store asks of chDB: ``ChdbEngine`` (in the process) or ``ChdbProcessEngine``
    (in a child process, ``chdb_process.py``)."""

    def run(self, statement: str, output: str = "CSV") -> bytes: ...

    def close(self) -> None: ...


class ChdbEngine:
    """One chDB session on a data directory, opened on first use. chDB itself is imported then
    too: loading the library adds about 290 MiB to a process, which a process that never touches
    analytics (production's API on ClickHouse, or any process before its first event) must not pay."""

    def __init__(self, path: Path) -> None:
        self._path, self._lock = path, threading.Lock()
        self._session: Any = None

    def run(self, statement: str, output: str = "CSV") -> bytes:
        with self._lock:
            if self._session is None:
                from chdb import session as chdb_session  # imported on first use: see the docstring

                self._path.mkdir(parents=True, exist_ok=True)
                self._session = chdb_session.Session(str(self._path))  # type: ignore[no-untyped-call]
            return bytes(self._session.query(statement, output).bytes())

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None


class ChdbAnalyticsStore(ClickHouseDialectStore):
    def __init__(self, engine: ChdbStatements, database: str = "analytics", retention_days: int = 730) -> None:
        super().__init__(database, retention_days)
        self._engine = engine

    async def _command(self, statement: str) -> None:
        await asyncio.to_thread(self._engine.run, statement)

    async def _insert(self, table: str, rows: bytes) -> None:
        statement = f"INSERT INTO {table} FORMAT JSONEachRow " + rows.decode()
        await asyncio.to_thread(self._engine.run, statement)

    async def _select(self, statement: str) -> bytes:
        return await asyncio.to_thread(self._engine.run, statement, "JSONCompactEachRow")

    async def _export(self, statement: str, output: str) -> bytes:
        return await asyncio.to_thread(self._engine.run, statement, output)
