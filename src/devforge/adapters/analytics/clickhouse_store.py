"""The analytics store in production: a ClickHouse server (or cluster) over its HTTP interface,
through httpx (already installed: Litestar's test client needs it). The SQL is ``clickhouse_sql``'s,
which the tests run on chDB; this module is only the client path, which the tests run against a
fake server (``tests/fakes/clickhouse_http.py``).

Three kinds of request, as ClickHouse documents its HTTP interface: a statement in the body
(``command``), ``INSERT INTO <table> FORMAT JSONEachRow`` in the ``query`` parameter with the rows
in the body, and a ``SELECT`` in the body with its output format as ``default_format``; the
database as ``database``, the credentials as ``X-ClickHouse-User`` and ``X-ClickHouse-Key``. An
answer other than 200 raises ``ClickHouseError`` with the server's text (``Code: 159 ...
TIMEOUT_EXCEEDED`` among them, which ``dialect_store`` reads). Not clickhouse-connect: its
driver, urllib3 and compression codecs were about 7 MiB of every API process (bench/README.md,
issue 12), for three calls that are one POST each.

The client connects on first use, not at start: whether the server answers is not a start-up
matter (its settings are checked at start). httpx keeps a few connections alive and drops one idle
for ``KEEPALIVE_SECONDS``, under ClickHouse's own ``keep_alive_timeout`` (3 s by default), so a
request is not sent on a connection the server is closing; nothing is ever sent twice (an insert
that failed is the buffer's to send again, whole)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from devforge.adapters.analytics.dialect_store import ClickHouseDialectStore

KEEPALIVE_SECONDS = 2.0
CONNECTIONS = 4
"""At most this many requests to ClickHouse at once per process (the API's flush, the dashboard's
queries, an export)."""


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
        self._client = httpx.AsyncClient(
            base_url=address.url,
            headers={"X-ClickHouse-User": address.user, "X-ClickHouse-Key": address.password},
            timeout=address.timeout_seconds,
            trust_env=False,  # never through a proxy named in the environment
            limits=httpx.Limits(
                max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS, keepalive_expiry=KEEPALIVE_SECONDS
            ),
        )

    async def _post(self, params: dict[str, str], body: bytes) -> bytes:
        answer = await self._client.post("/", params={"database": self._database, **params}, content=body)
        if answer.status_code != 200:
            raise ClickHouseError(f"ClickHouse answered {answer.status_code}: {answer.text}")
        return answer.content

    async def _command(self, statement: str) -> None:
        await self._post({}, statement.encode())

    async def _insert(self, table: str, rows: bytes) -> None:
        await self._post({"query": f"INSERT INTO {table} FORMAT JSONEachRow"}, rows)

    async def _select(self, statement: str) -> bytes:
        return await self._post({"default_format": "JSONCompactEachRow"}, statement.encode())

    async def _export(self, statement: str, output: str) -> bytes:
        """The server writes the file (``FORMAT Parquet`` too): no Parquet library here."""
        return await self._post({"default_format": output}, statement.encode())

    async def aclose(self) -> None:
        await self._client.aclose()
