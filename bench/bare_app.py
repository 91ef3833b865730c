"""The yardstick: one Litestar GET endpoint and nothing else, served as ``devforge serve`` serves.

Same uvicorn options (one worker, no access log, no server header, auto loop and HTTP parser),
same body shape as /health/live, so the bench ratio shows what devforge adds on top of the
framework: middleware, dependency injection, the rate limiter, authentication, the database.

    .venv/bin/python bench/bare_app.py --port 8100
"""

from __future__ import annotations

import argparse

import msgspec
import uvicorn
from litestar import Litestar, get


class Status(msgspec.Struct):
    status: str


@get("/")
async def bare() -> Status:
    return Status("ok")


def create() -> Litestar:
    return Litestar(route_handlers=[bare], debug=False, logging_config=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    uvicorn.run(
        create,
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
