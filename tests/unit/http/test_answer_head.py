"""An answer's head is the bytes uvicorn's own protocol writes, whether its header lines are
checked afresh or taken from those checked before; a bad header is refused as uvicorn refuses it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from devforge.entrypoints.http.server_protocol import CoalescingHttpToolsProtocol, HeadLines


class Written:
    """The transport under the protocol: what reaches it, and whether it was closed."""

    def __init__(self) -> None:
        self.data = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        self.data += data

    def writelines(self, lines: list[bytes]) -> None:
        self.data += b"".join(lines)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 5555)}.get(name, default)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None: ...
    def resume_reading(self) -> None: ...


def answering(headers: list[Any], body: bytes = b"ok", status: int = 200) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


async def served(protocol_class: type[HttpToolsProtocol], app: Any, request: bytes, default: Any = ()) -> Written:
    config = Config(app=app, http=protocol_class, proxy_headers=False, log_config=None, access_log=False)
    state = ServerState()
    state.default_headers = list(default)
    protocol = protocol_class(config, state, {})
    written = Written()
    protocol.connection_made(written)  # type: ignore[arg-type]
    protocol.data_received(request)
    for _ in range(5):
        await asyncio.sleep(0)
    return written


GET = b"GET /health/live HTTP/1.1\r\nHost: example\r\n\r\n"
ANSWERS = [
    ([(b"content-type", b"application/json"), (b"content-length", b"2"), (b"X-Frame-Options", b"DENY")], GET),
    ([(b"content-type", b"text/plain")], GET),  # no length: chunked, as uvicorn frames it
    ([(b"content-length", b"2"), (b"connection", b"keep-alive, Close")], GET),
    ([[b"content-length", b"2"], [b"x-request-id", b"abc"]], GET),  # lists, not tuples: never kept
    ([(b"content-length", b"2")], b"GET / HTTP/1.0\r\n\r\n"),  # no keep-alive: uvicorn adds connection: close
]


@pytest.mark.parametrize(("headers", "request_bytes"), ANSWERS)
async def test_the_head_is_what_uvicorn_writes_the_first_time_and_from_kept_lines(
    headers: list[Any], request_bytes: bytes
) -> None:
    date = [(b"date", b"Mon, 07 Dec 2026 14:00:00 GMT")]
    theirs = await served(HttpToolsProtocol, answering(headers), request_bytes, date)
    first = await served(CoalescingHttpToolsProtocol, answering(headers), request_bytes, date)
    again = await served(CoalescingHttpToolsProtocol, answering(headers), request_bytes, date)
    assert theirs.data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert first.data == theirs.data
    assert again.data == theirs.data
    assert (first.closed, again.closed) == (theirs.closed, theirs.closed)


@pytest.mark.parametrize(
    "header", [(b"x-evil", b"a\r\nset-cookie: x=1"), (b"bad name", b"value"), (b"x-ok", b"a\x00b")]
)
async def test_a_header_uvicorn_refuses_is_refused_even_beside_kept_ones(header: tuple[bytes, bytes]) -> None:
    kept = (b"x-content-type-options", b"nosniff")
    await served(CoalescingHttpToolsProtocol, answering([kept]), GET)
    theirs = await served(HttpToolsProtocol, answering([kept, header]), GET)
    ours = await served(CoalescingHttpToolsProtocol, answering([kept, header]), GET)
    assert (theirs.data, theirs.closed) == (b"", True)  # uvicorn sends nothing of it and closes
    assert (ours.data, ours.closed) == (b"", True)


def test_the_kept_lines_start_again_past_their_bound() -> None:
    lines = HeadLines()
    cycle: Any = type("Cycle", (), {"frame": lambda *_: None})()
    for number in range(HeadLines.KEPT + 10):
        header = (b"x-request-id", str(number).encode())
        assert lines.line(cycle, header) == b"x-request-id: " + str(number).encode() + b"\r\n"
        assert lines.kept(header) == lines.line(cycle, header)
    assert lines.kept((b"x-request-id", b"0")) is None
    assert lines.kept((b"content-length", b"2")) is None  # framing headers are read on every answer
