"""CPU of one request through the server's own code, the socket left out: raw HTTP request bytes
fed to the protocol ``devforge serve`` gives uvicorn (``CoalescingHttpToolsProtocol``), on uvloop,
for devforge's app (``asgi.create()``, the profile's settings from the environment) and for
``bench/bare_app.py``'s app, each configured as it is served (the bare app keeps uvicorn's
default proxy-headers layer, as ``bare_app.py --coalescing`` serves it). The API runs alone, as
production serves it: the embedded profile's in-process worker is left out unless asked for.

    DEVFORGE_DATA_DIR=<a migrated data dir> DEVFORGE_PROFILE=embedded \\
        .venv/bin/python bench/protocol_request.py [/health/live] [20000] [--rounds 5] [--with-worker]

One keep-alive connection each; a request is written once the previous answer has left (the
fake transport's ``writelines``), so each costs what a connection of wrk costs the server:
parsing, the task, the app, uvicorn's head and body, the keep-alive timer, the held write. The
two run in turns (``--rounds``, the least of each kept), so a loaded machine moves both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

import uvloop
from uvicorn.config import Config
from uvicorn.server import ServerState

os.environ.setdefault("DEVFORGE_LOG_LEVEL", "warning")  # as bench/run.py serves it: no access log line
sys.path.insert(0, str(Path(__file__).parent))

from bare_app import create as create_bare

from devforge.entrypoints.http import asgi
from devforge.entrypoints.http.server_protocol import CoalescingHttpToolsProtocol


class FakeTransport:
    """What the protocol writes to; the answer is complete when a write ends with its body."""

    def __init__(self) -> None:
        self.answered: asyncio.Future[bytes] | None = None
        self.last = b""

    def writelines(self, lines: list[bytes]) -> None:
        self.last = b"".join(lines)
        if self.answered is not None and not self.answered.done():
            self.answered.set_result(self.last)

    def write(self, data: bytes) -> None:
        self.writelines([data])

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 5555)}.get(name, default)

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None: ...
    def resume_reading(self) -> None: ...
    def close(self) -> None: ...


class Connection:
    def __init__(self, app: Any, path: str, *, proxy_headers: bool) -> None:
        config = Config(app=app, http=CoalescingHttpToolsProtocol, proxy_headers=proxy_headers, log_config=None,
                        access_log=False, server_header=False)  # fmt: skip
        config.load()
        self.protocol = CoalescingHttpToolsProtocol(config, ServerState(), {})
        self.transport = FakeTransport()
        self.protocol.connection_made(self.transport)  # type: ignore[arg-type]
        self.request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n".encode()

    async def one(self) -> bytes:
        self.transport.answered = asyncio.get_running_loop().create_future()
        self.protocol.data_received(self.request)
        return await self.transport.answered

    async def cpu(self, count: int) -> float:
        start = time.thread_time()
        for _ in range(count):
            await self.one()
        return (time.thread_time() - start) / count * 1e6


async def started(app: Any) -> asyncio.Queue[dict[str, Any]]:
    lifespan: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    up = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            up.set()

    await lifespan.put({"type": "lifespan.startup"})
    asyncio.get_running_loop().create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, lifespan.get, send)
    )
    await up.wait()
    return lifespan


async def main(path: str, count: int, rounds: int, worker: bool) -> None:
    if not worker:  # the API alone, as production serves it (embedded runs its worker in the process)
        asgi.in_process_worker = None  # type: ignore[attr-defined,assignment]
    app = asgi.create()
    lifespan = await started(app)
    ours = Connection(app, path, proxy_headers=False)  # as devforge serve
    bare = Connection(create_bare(None, None), "/", proxy_headers=True)  # as bare_app.py --coalescing
    for connection in (ours, bare):
        answer = await connection.one()
        print(answer.split(b"\r\n", 1)[0].decode(), f"({len(answer)} bytes)", file=sys.stderr)
        await connection.cpu(min(2_000, max(1, count // 10)))
    measured = [(await ours.cpu(count), await bare.cpu(count)) for _ in range(rounds)]
    ours_us, bare_us = min(m[0] for m in measured), min(m[1] for m in measured)
    print(f"{path}: {ours_us:.1f} µs, bare GET /: {bare_us:.1f} µs of CPU a request through the protocol "
          f"(least of {rounds} rounds in turns, load average {os.getloadavg()[0]:.2f})")  # fmt: skip
    print(f"devforge adds {ours_us - bare_us:.1f} µs a request; ratio {bare_us / ours_us:.3f}x")
    await lifespan.put({"type": "lifespan.shutdown"})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/health/live")
    parser.add_argument("count", nargs="?", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--with-worker", action="store_true", help="keep the embedded profile's in-process worker")
    args = parser.parse_args()
    uvloop.run(main(args.path, args.count, args.rounds, args.with_worker))
