"""The yardstick: bare Litestar endpoints and nothing else, served as ``devforge serve`` serves.

Same uvicorn options (one worker, no access log, no server header, auto loop and HTTP parser).
``GET /`` answers a small msgspec body (the shape of /health/live); with ``--database-url`` and
``--ids-file``, ``GET /row`` also does what the licensing issue's bench asks for: one asyncpg
primary-key select (a license row by a random id from the file) through a pool the size of
devforge's. The bench ratio shows what devforge adds on top of the framework and the driver.

    .venv/bin/python bench/bare_app.py --port 8100 [--database-url postgresql://... --ids-file ids.txt]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from uuid import UUID

import asyncpg
import msgspec
import uvicorn
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException


class Status(msgspec.Struct):
    status: str


class Row(msgspec.Struct):
    id: UUID
    status: str


@get("/")
async def bare() -> Status:
    return Status("ok")


@get("/row")
async def row(state: State) -> Row:
    found = await state.pool.fetchrow("SELECT id, status FROM licenses WHERE id = $1", random.choice(state.ids))
    if found is None:
        raise NotFoundException()
    return Row(found["id"], found["status"])


def create(database_url: str | None, ids_file: Path | None) -> Litestar:
    ids = [UUID(line) for line in ids_file.read_text().split()] if ids_file else []

    @asynccontextmanager
    async def pool(app: Litestar) -> AsyncIterator[None]:
        if database_url is None or ids_file is None:
            yield
            return
        app.state.ids = ids
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
    parser.add_argument("--ids-file", type=Path, help="license ids, one per line, for GET /row")
    args = parser.parse_args()
    uvicorn.run(
        partial(create, args.database_url, args.ids_file),
        factory=True,
        host=args.host,
        port=args.port,
        workers=1,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=30,
    )


if __name__ == "__main__":
    main()
