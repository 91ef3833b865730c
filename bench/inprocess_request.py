"""CPU of one request with uvicorn and the socket left out: the served ASGI app
(``asgi.create()``, the profile's settings from the environment) called in-process.

    DEVFORGE_DATA_DIR=<a migrated data dir> DEVFORGE_PROFILE=embedded \\
        .venv/bin/python bench/inprocess_request.py [/health/live[?query]] [20000] [--profile] [--bearer=TOKEN] [--bare]

Prints the CPU time a request (after a tenth of them, at most 2,000, of warm-up); ``--profile``
adds cProfile's top functions and the Python calls a request over a quarter as many more.
``--bearer`` sends ``Authorization: Bearer TOKEN`` (a signed-in caller's routes); the first
answer's status is printed, so a 401 or 404 is not measured unnoticed. ``--bare`` also times the
yardstick (``bench/bare_app.py``'s ``GET /``) in the same process, in turns with the target (five
rounds, the least of each kept): the difference is what devforge adds, comparable on a loaded box.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DEVFORGE_LOG_LEVEL", "warning")  # as bench/run.py serves it: no access log line
sys.path.insert(0, str(Path(__file__).parent))

from bare_app import create as create_bare

from devforge.entrypoints.http.asgi import create


async def against_bare(target: str, ours: Callable[[int], Awaitable[None]], count: int) -> None:
    """The target and the bare app's ``GET /`` in turns, five rounds; the least of each."""
    bare = create_bare(None, None)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/", "raw_path": b"/", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"wrk")],
             "client": ("127.0.0.1", 5555), "server": ("127.0.0.1", 8000)}  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: dict[str, Any]) -> None:
        return None

    async def theirs(n: int) -> None:
        for _ in range(n):
            await bare(dict(scope, state={}), receive, send)  # type: ignore[arg-type]

    async def cpu(requests: Callable[[int], Awaitable[None]]) -> float:
        start = time.process_time()
        await requests(count)
        return (time.process_time() - start) / count * 1e6

    await theirs(min(2_000, max(1, count // 10)))  # Litestar starts an app on its first call without a lifespan
    rounds = [(await cpu(ours), await cpu(theirs)) for _ in range(5)]
    target_us, bare_us = min(r[0] for r in rounds), min(r[1] for r in rounds)
    print(f"{target}: {target_us:.1f} µs, bare GET /: {bare_us:.1f} µs (least of five rounds in turns)")
    print(f"devforge adds {target_us - bare_us:.1f} µs a request; in-process ratio {bare_us / target_us:.3f}x")


async def main(target: str, count: int, profile: bool, bearer: str, bare: bool) -> None:
    path, _, query = target.partition("?")
    app = create()
    lifespan: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    started = asyncio.Event()

    async def lifespan_send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    await lifespan.put({"type": "lifespan.startup"})
    running = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, lifespan.get, lifespan_send)
    )  # type: ignore[arg-type]
    await started.wait()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"wrk")]
        + ([(b"authorization", f"Bearer {bearer}".encode())] if bearer else []),
        "client": ("127.0.0.1", 5555), "server": ("127.0.0.1", 8000),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and not statuses:
            statuses.append(message["status"])

    async def requests(n: int) -> None:
        for _ in range(n):
            await app(dict(scope, state={}), receive, send)  # type: ignore[arg-type]

    await requests(min(2_000, max(1, count // 10)))
    start = time.process_time()
    await requests(count)
    spent = (time.process_time() - start) / count * 1e6
    print(f"{target}: {spent:.1f} µs of CPU a request, in-process (status {statuses[0]})")
    if bare:
        await against_bare(target, requests, count)
    if profile:
        profiled = max(1, count // 4)
        profiler = cProfile.Profile()
        profiler.enable()
        await requests(profiled)
        profiler.disable()
        stats = pstats.Stats(profiler)
        print(f"{stats.total_calls / profiled:.0f} Python calls a request")  # type: ignore[attr-defined]
        stats.sort_stats("tottime").print_stats(25)
    await lifespan.put({"type": "lifespan.shutdown"})
    await running


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    asyncio.run(
        main(
            arguments[0] if arguments else "/health/live",
            int(arguments[1]) if len(arguments) > 1 else 20_000,
            "--profile" in sys.argv,
            next((a.removeprefix("--bearer=") for a in sys.argv if a.startswith("--bearer=")), ""),
            "--bare" in sys.argv,
        )
    )
