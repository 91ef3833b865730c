"""What reading packages from their clients costs the event loop (``review_loop_lag.py --uploads``).

A uvicorn server (devforge's ``CoalescingHttpToolsProtocol``) runs on the measuring loop itself and
serves one route that reads its body as the upload route does: ``package_body`` into
``LocalDiskFileStorage.put_stream`` under ``UploadStreams``. A client process sends ``bodies``
bodies at once; the ticker's lateness is what a search on that loop would wait, and the CPU time
of the loop's thread (``time.thread_time``) is the work every other request queues behind.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uvicorn
from litestar import Litestar, Request, post
from review_loop_lag import measured, percentile
from run import free_port

from devforge.adapters.storage.local_disk_file_storage import LocalDiskFileStorage
from devforge.application.marketplace.upload_streams import UploadStreams
from devforge.bootstrap.allocator import tune_allocator
from devforge.entrypoints.http.marketplace.extensions_controller import UPLOAD_BODY_CEILING
from devforge.entrypoints.http.marketplace.package_body import package_body
from devforge.entrypoints.http.server_protocol import CoalescingHttpToolsProtocol

CLIENT = """
import http.client, sys, threading
port, bodies, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
body = bytes(range(256)) * (size // 256)
failed = []
def send(n):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("POST", f"/upload/{n}", body, {"Content-Type": "application/zip"})
    response = connection.getresponse()
    response.read()
    if response.status != 201:
        failed.append(response.status)
threads = [threading.Thread(target=send, args=(n,)) for n in range(bodies)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
sys.exit(1 if failed else 0)
"""


class Counted:
    """The app, counting the ``http.request`` messages its routes receive."""

    def __init__(self, app: Any) -> None:
        self.app, self.messages = app, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def counted() -> Any:
            message = await receive()
            self.messages += message["type"] == "http.request"
            return message

        await self.app(scope, counted if scope["type"] == "http" else receive, send)


def upload_app(root: Path, streams: UploadStreams, max_bytes: int) -> Litestar:
    storage = LocalDiskFileStorage(root)

    @post("/upload/{n:int}", request_max_body_size=UPLOAD_BODY_CEILING, status_code=201)
    async def upload(n: int, request: Request[Any, Any, Any]) -> dict[str, int]:
        async with streams.slot():
            blob = await storage.put_stream(f"bench/{n}.zip", package_body(request), max_bytes=max_bytes)
        return {"size": blob.size}

    return Litestar([upload])


async def one_round(bodies: int, megabytes: int, streams: int, root: Path) -> str:
    size = megabytes * 1024 * 1024
    app = Counted(upload_app(root, UploadStreams(streams), size + 1))
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=CoalescingHttpToolsProtocol, lifespan="off", log_config=None,
        access_log=False,
    )  # fmt: skip
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn sets a flag, no event
        await asyncio.sleep(0.01)
    idle = await measured(1.0)
    loop_cpu, process_cpu, started = time.thread_time(), time.process_time(), time.perf_counter()
    client = await asyncio.create_subprocess_exec(sys.executable, "-c", CLIENT, str(port), str(bodies), str(size))
    busy = await measured(None, client.wait())
    took = time.perf_counter() - started
    loop_cpu, process_cpu = time.thread_time() - loop_cpu, time.process_time() - process_cpu
    server.should_exit = True
    await serving
    if client.returncode != 0:
        raise SystemExit(f"the client failed ({client.returncode})")
    per_body = app.messages / bodies
    return (
        f"| {bodies} x {megabytes} MiB, {streams} at once | {took:.2f} s | {per_body:.0f} "
        f"({size / per_body / 1024:.0f} KiB) | {loop_cpu / bodies * 1000:.0f} | "
        f"{loop_cpu / app.messages * 1e6:.0f} | {process_cpu / bodies * 1000:.0f} | {percentile(idle, 0.99):.1f} | "
        f"{percentile(busy, 0.5):.2f} | {percentile(busy, 0.99):.1f} | {max(busy):.1f} |"
    )


async def upload_rounds(bodies: int, megabytes: int, rounds: int, streams: int) -> int:
    tune_allocator()  # as each API process does (asgi.py): chunks of 128 KiB or more get their own mapping
    with tempfile.TemporaryDirectory(prefix="devforge-upload-lag-") as scratch:
        rows = [await one_round(bodies, megabytes, streams, Path(scratch)) for _ in range(rounds)]
    print(
        "| bodies | all read in | messages a body (mean size) | loop CPU ms a body | loop CPU µs a message "
        "| process CPU ms a body | lateness idle p99 ms | during p50 ms | during p99 ms | during max ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0
