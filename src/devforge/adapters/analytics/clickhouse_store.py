"""The analytics store in production: a ClickHouse server (or cluster) over HTTP, through
clickhouse-connect. The SQL is ``clickhouse_sql``'s, which the tests run on chDB; this module is
only the client path, which the tests run against a fake server (``tests/fakes/clickhouse_http.py``).

The client connects on first use, not at start: whether the server answers is not a start-up
matter (its settings are checked at start). clickhouse-connect is synchronous; each call runs on
a thread, one at a time per process (a client is not shared by threads at once)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

import clickhouse_connect

from devforge.adapters.analytics.dialect_store import ClickHouseDialectStore


@dataclass(frozen=True, slots=True)
class ClickHouseAddress:
    url: str
    """``http(s)://host:port``"""
    user: str
    password: str
    database: str
    timeout_seconds: float = 10.0


class ClickHouseAnalyticsStore(ClickHouseDialectStore):
    def __init__(self, address: ClickHouseAddress, retention_days: int = 730) -> None:
        super().__init__(address.database, retention_days)
        self._address, self._lock = address, threading.Lock()
        self._client: Any = None

    def _connected(self) -> Any:
        if self._client is None:
            self._client = clickhouse_connect.get_client(
                dsn=self._address.url,
                username=self._address.user,
                password=self._address.password,
                connect_timeout=self._address.timeout_seconds,
                send_receive_timeout=self._address.timeout_seconds,
                autogenerate_session_id=False,
            )
        return self._client

    def _run(self, kind: str, statement: str, rows: bytes = b"", output: str = "JSONCompactEachRow") -> bytes:
        with self._lock:
            client = self._connected()
            if kind == "command":
                client.command(statement)
                return b""
            if kind == "insert":
                client.raw_insert(statement, insert_block=rows, fmt="JSONEachRow")
                return b""
            return bytes(client.raw_query(statement, fmt=output))

    async def _command(self, statement: str) -> None:
        await asyncio.to_thread(self._run, "command", statement)

    async def _insert(self, table: str, rows: bytes) -> None:
        await asyncio.to_thread(self._run, "insert", table, rows)

    async def _select(self, statement: str) -> bytes:
        return await asyncio.to_thread(self._run, "select", statement)

    async def _export(self, statement: str, output: str) -> bytes:
        """The server writes the file (``FORMAT Parquet`` too): no Parquet library here."""
        return await asyncio.to_thread(self._run, "select", statement, b"", output)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
