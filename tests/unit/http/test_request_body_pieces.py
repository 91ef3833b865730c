"""A request body reaches the app whole and in order through devforge's protocol, whether it comes
as one length-announced stream or as many small chunks the parser hands over in one read."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from devforge.entrypoints.http.server_protocol import CoalescingHttpToolsProtocol


async def body_digest(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers the body's length and SHA-256."""
    pieces: list[bytes] = []
    more = True
    while more:
        message = await receive()
        pieces.append(message["body"])
        more = message.get("more_body", False)
    body = b"".join(pieces)
    assert all(isinstance(piece, bytes) for piece in pieces)  # ASGI's type, never a buffer uvicorn reuses
    answer = f"{len(body)} {hashlib.sha256(body).hexdigest()}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(answer))]})
    await send({"type": "http.response.body", "body": answer})


@asynccontextmanager
async def serving() -> AsyncIterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        body_digest, host="127.0.0.1", port=port, http=CoalescingHttpToolsProtocol, lifespan="off", log_config=None
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.005)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def post(port: int, head: bytes, parts: list[bytes]) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head)
    for part in parts:
        writer.write(part)
        await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer.split(b"\r\n\r\n", 1)[1].decode()


async def test_a_large_announced_body_arrives_whole_as_bytes() -> None:
    body = os.urandom(3 * 1024 * 1024 + 7)
    head = b"POST /u HTTP/1.1\r\nhost: t\r\nconnection: close\r\ncontent-length: %d\r\n\r\n" % len(body)
    async with serving() as port:
        answer = await post(port, head, [body[i : i + 100_000] for i in range(0, len(body), 100_000)])
    assert answer == f"{len(body)} {hashlib.sha256(body).hexdigest()}"


async def test_many_small_chunks_in_one_read_arrive_whole_and_in_order() -> None:
    pieces = [os.urandom(size) for size in (1, 4096, 17, 8192, 3, 65_536, 999)] * 20
    encoded = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"
    head = b"POST /u HTTP/1.1\r\nhost: t\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n"
    body = b"".join(pieces)
    async with serving() as port:
        answer = await post(port, head + encoded, [])
    assert answer == f"{len(body)} {hashlib.sha256(body).hexdigest()}"
