"""The yardstick: bare Litestar endpoints and nothing else, served as ``devforge serve`` serves.

Same uvicorn options (one worker, no access log, no server header, auto loop and HTTP parser).
``GET /`` answers a small msgspec body (the shape of /health/live); with ``--database-url`` and
``--ids-file``, ``GET /row`` also does what the licensing issue's bench asks for: one asyncpg
primary-key select (a row by a random id from the file: a license, or with ``--table
marketplace_listings`` an extension's listing) through a pool the size of devforge's. With
``--sqlite`` (the embedded profile's database file) instead of ``--database-url``, ``GET /row``
is the same select through aiosqlite, the embedded profile's driver, on a pool of five
connections (SQLAlchemy's default for a SQLite file) in WAL mode. The bench ratio shows what
devforge adds on top of the framework and the driver.

    .venv/bin/python bench/bare_app.py --port 8100 [--database-url postgresql://... | --sqlite data/devforge.db]
        [--ids-file ids.txt --table licenses|marketplace_listings]
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import aiosqlite
import asyncpg
import msgspec
import uvicorn
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException


class Status(msgspec.Struct):
    status: str


SELECTS = {
    "licenses": "SELECT id, status FROM licenses WHERE id = $1",
    "marketplace_listings": (
        "SELECT extension_id AS id, name AS status FROM marketplace_listings WHERE extension_id = $1"
    ),
}
SQLITE_POOL = 5


class SqlitePool:
    """aiosqlite connections handed out one request at a time (each runs in its own thread); a
    select is one trip to that thread (``execute_fetchall``)."""

    def __init__(self, connections: list[aiosqlite.Connection]) -> None:
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for connection in connections:
            self._idle.put_nowait(connection)
        self._all = connections

    async def fetchrow(self, select: str, row_id: UUID) -> dict[str, object] | None:
        connection = await self._idle.get()
        try:
            rows = list(await connection.execute_fetchall(select.replace("$1", "?"), (row_id.hex,)))
        finally:
            self._idle.put_nowait(connection)
        return {"id": UUID(rows[0][0]), "status": rows[0][1]} if rows else None

    async def close(self) -> None:
        for connection in self._all:
            await connection.close()


async def sqlite_pool(path: Path) -> SqlitePool:
    connections = [await aiosqlite.connect(path) for _ in range(SQLITE_POOL)]
    for connection in connections:
        await connection.execute("PRAGMA journal_mode=WAL")
    return SqlitePool(connections)


class Row(msgspec.Struct):
    id: UUID
    status: str


@get("/")
async def bare() -> Status:
    return Status("ok")


@get("/row")
async def row(state: State) -> Row:
    found = await state.pool.fetchrow(state.select, random.choice(state.ids))
    if found is None:
        raise NotFoundException()
    return Row(found["id"], found["status"])


def create(
    database_url: str | None, ids_file: Path | None, table: str = "licenses", sqlite: Path | None = None
) -> Litestar:
    ids = [UUID(line) for line in ids_file.read_text().split()] if ids_file else []

    @asynccontextmanager
    async def pool(app: Litestar) -> AsyncIterator[None]:
        if (database_url is None and sqlite is None) or ids_file is None:
            yield
            return
        app.state.ids, app.state.select = ids, SELECTS[table]
        if sqlite is not None:
            app.state.pool = await sqlite_pool(sqlite)
        else:
            app.state.pool = await asyncpg.create_pool(database_url, min_size=5, max_size=20)
        try:
            yield
        finally:
            await app.state.pool.close()

    return Litestar(route_handlers=[bare, row], debug=False, logging_config=None, lifespan=[pool])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--database-url", help="plain postgresql:// URL for GET /row")
    parser.add_argument("--sqlite", type=Path, help="the embedded database file, for GET /row through aiosqlite")
    parser.add_argument("--ids-file", type=Path, help="the table's ids, one per line, for GET /row")
    parser.add_argument("--table", choices=sorted(SELECTS), default="licenses", help="the table GET /row reads")
    parser.add_argument(
        "--coalescing",
        action="store_true",
        help="serve with devforge's one-write protocol (server_protocol.py) instead of uvicorn's own",
    )
    args = parser.parse_args()
    http: Any = "auto"
    if args.coalescing:
        from devforge.entrypoints.http.server_protocol import CoalescingHttpToolsProtocol

        http = CoalescingHttpToolsProtocol
    uvicorn.run(
        partial(create, args.database_url, args.ids_file, args.table, args.sqlite),
        factory=True,
        host=args.host,
        port=args.port,
        workers=1,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=30,
        http=http,
    )


if __name__ == "__main__":
    main()
