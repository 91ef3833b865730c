"""The analytics store in production: a ClickHouse server (or cluster) over its HTTP interface,
with the standard library's ``http.client``. The SQL is ``clickhouse_sql``'s, which the tests run
on chDB; this module is only the client path, which the tests run against a fake server
(``tests/fakes/clickhouse_http.py``).

Three kinds of request, as ClickHouse documents its HTTP interface: a statement in the body
(``command``), ``INSERT INTO <table> FORMAT JSONEachRow`` in the ``query`` parameter with the rows
in the body, and a ``SELECT`` in the body with its output format as ``default_format``; the
database as ``database``, the credentials as ``X-ClickHouse-User`` and ``X-ClickHouse-Key``. An
answer other than 200 raises ``ClickHouseError`` with the server's text (``Code: 159 ...
TIMEOUT_EXCEEDED`` among them, which ``dialect_store`` reads). Not clickhouse-connect: its
driver, urllib3 and compression codecs were about 7 MiB of every API process (bench/README.md,
issue 12), for three calls that are one POST each.

The client connects on first use, not at start: whether the server answers is not a start-up
matter (its settings are checked at start). Each call runs on a thread, one at a time per process,
on one kept-alive connection; a kept connection the server has since closed (its keep-alive
timeout) is opened again and the request sent once more, which is what every pooling client does
for a request the server never read."""

from __future__ import annotations

import asyncio
import http.client
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from devforge.adapters.analytics.dialect_store import ClickHouseDialectStore

IDLE_SECONDS = 2.0
"""A connection idle for longer is not reused: ClickHouse closes idle ones after its
``keep_alive_timeout`` (3 s by default), and a request sent as it closes is lost."""


class ClickHouseError(RuntimeError):
    """The server answered with an error: its code and text are in the message."""


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
        parts = urlsplit(address.url)
        self._https, self._host, self._port = parts.scheme == "https", parts.hostname or "", parts.port
        self._prefix = parts.path.rstrip("/") + "/"
        self._headers = {"X-ClickHouse-User": address.user, "X-ClickHouse-Key": address.password}
        self._connection: http.client.HTTPConnection | None = None
        self._last_used = 0.0

    def _connect(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return kind(self._host, self._port, timeout=self._address.timeout_seconds)

    def _post(self, params: dict[str, str], body: bytes) -> bytes:
        path = self._prefix + "?" + urlencode({"database": self._address.database, **params})
        headers = {**self._headers, "Content-Length": str(len(body))}
        kept = self._connection
        if kept is not None and time.monotonic() - self._last_used > IDLE_SECONDS:
            kept.close()
            kept = None
        for attempt in (kept, None):
            connection = attempt or self._connect()
            self._connection = connection
            try:
                connection.request("POST", path, body=body, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                self._connection = None
                if attempt is None:
                    raise
                continue  # the kept connection was closed by the server: once more on a new one
            except BaseException:
                connection.close()
                self._connection = None
                raise
            self._last_used = time.monotonic()
            if answer.status != 200:
                raise ClickHouseError(f"ClickHouse answered {answer.status}: {content.decode(errors='replace')}")
            return content
        raise AssertionError("unreachable")  # pragma: no cover

    def _run(self, kind: str, statement: str, rows: bytes = b"", output: str = "JSONCompactEachRow") -> bytes:
        with self._lock:
            if kind == "command":
                self._post({}, statement.encode())
                return b""
            if kind == "insert":
                self._post({"query": f"INSERT INTO {statement} FORMAT JSONEachRow"}, rows)
                return b""
            return self._post({"default_format": output}, statement.encode())

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
            if self._connection is not None:
                self._connection.close()
                self._connection = None
