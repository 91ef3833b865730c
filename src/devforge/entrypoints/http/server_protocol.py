"""uvicorn's HTTP protocol, with an answer's head and body sent in one write.

uvicorn (httptools) writes the status line and headers when the app sends
``http.response.start`` and the body when it sends ``http.response.body``; uvloop passes each
write to the socket at once when nothing is queued, so every small answer cost two ``write``
system calls, and on the bench machine those two were about half of what ``GET /health/live``
cost (py-spy and strace: bench/README.md). Here the connection's writes made within one turn of
the event loop go out together at its end (one ``writelines``: one system call), or at once when
they pass ``FLUSH_BYTES`` (a large download still meets the transport's flow control as it
streams). Order is kept, and closing or ending the stream sends what is held first.

The head itself is built as uvicorn builds it (the same checks, names lowered, the same lines),
but a header line already built once is taken from ``HeadLines`` instead of checked again with
two regular expressions and lowered: devforge's answers carry six headers more than a bare
Litestar answer's two (the security headers, the request id), and checking each of them was
devforge's largest cost in uvicorn's ``send`` (bench/README.md).

A request body's pieces reach the app without uvicorn's two copies of them (``on_body``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.http.flow_control import HIGH_WATER_LIMIT
from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

FLUSH_BYTES = 64 * 1024


class CoalescingTransport:
    """A transport that holds what is written until the loop's turn ends; everything else is
    the real transport's."""

    __slots__ = ("_held", "_held_bytes", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport, self._loop = transport, loop
        self._held: list[bytes] = []
        self._held_bytes = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))
        self._held_bytes += len(data)
        if self._held_bytes >= FLUSH_BYTES:
            self.flush()

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        if self._held:
            held, self._held, self._held_bytes = self._held, [], 0
            if not self._transport.is_closing():
                self._transport.writelines(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held, self._held_bytes = [], 0
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._held_bytes + self._transport.get_write_buffer_size()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


_FRAMING = frozenset((b"content-length", b"transfer-encoding", b"connection"))
"""Headers that set how the answer is framed: read on every answer, never taken from the lines."""


class HeadLines:
    """Header lines (``name: value\\r\\n``, the name lowered) by the header that made them, each
    checked once. A header whose value is new on every answer (the request id, the date) only
    fills it: past ``KEPT`` lines it starts again, and the common ones come back at once."""

    KEPT = 1024

    def __init__(self) -> None:
        self._lines: dict[tuple[bytes, bytes], bytes] = {}
        self.kept = self._lines.get
        """The line of a header (a tuple: a list is not kept) checked before, or None."""

    def line(self, cycle: HeadFromLines, header: Any) -> bytes:
        """The line of a header not kept: checked and lowered as uvicorn does, its framing read."""
        name, value = header
        if HEADER_RE.search(name):
            raise RuntimeError("Invalid HTTP header name.")
        if HEADER_VALUE_RE.search(value):
            raise RuntimeError("Invalid HTTP header value.")
        name = name.lower()
        line = b"".join((name, b": ", value, b"\r\n"))
        if name in _FRAMING:
            cycle.frame(name, value)
        elif type(header) is tuple:
            if len(self._lines) >= self.KEPT:
                self._lines.clear()
            self._lines[header] = line
        return line


class HeadFromLines(RequestResponseCycle):
    """uvicorn's request-response cycle whose answer head is made of ``HeadLines``; everything
    else (the body, flow control, a second head refused) is uvicorn's own ``send``."""

    closes = False
    """Whether the answer's own headers said ``Connection: close``."""

    def frame(self, name: bytes, value: bytes) -> None:
        """uvicorn's reading of the framing headers, as its ``send`` reads them."""
        if name == b"content-length" and self.chunked_encoding is None:
            self.expected_content_length = int(value.decode())
            self.chunked_encoding = False
        elif name == b"transfer-encoding" and value.lower() == b"chunked":
            self.expected_content_length = 0
            self.chunked_encoding = True
        elif name == b"connection" and b"close" in [token.lower().strip() for token in value.split(b",")]:
            self.keep_alive = False
            self.closes = True

    async def send(self, message: ASGISendEvent) -> None:
        if (
            self.response_started
            or self.disconnected
            or self.flow.write_paused
            or message["type"] != "http.response.start"
        ):
            await super().send(message)
            return
        self.response_started = True
        self.waiting_for_100_continue = False
        status_code = message["status"]
        if self.access_log:
            self.access_logger.info(
                '%s - "%s %s HTTP/%s" %d',
                get_client_addr(self.scope),
                self.scope["method"],
                get_path_with_query_string(self.scope),
                self.scope["http_version"],
                status_code,
            )
        kept, line = _HEAD_LINES.kept, _HEAD_LINES.line
        content = [STATUS_LINE[status_code]]
        for headers in (self.default_headers, message.get("headers", ())):
            content += [(type(h) is tuple and kept(h)) or line(self, h) for h in headers]
        if not self.keep_alive and not self.closes:
            content.append(b"connection: close\r\n")
        if self.chunked_encoding is None and self.scope["method"] != "HEAD" and status_code not in (204, 304):
            self.chunked_encoding = True  # neither content-length nor transfer-encoding said
            content.append(b"transfer-encoding: chunked\r\n")
        content.append(b"\r\n")
        self.transport.write(b"".join(content))


_HEAD_LINES = HeadLines()


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """What ``devforge serve`` gives uvicorn as ``http``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        coalescing: Any = CoalescingTransport(transport, self.loop)
        super().connection_made(coalescing)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        # uvicorn makes its own cycle and schedules its task, which has not started yet: the
        # cycle becomes ours before the app is first given its ``send``.
        if type(self.cycle) is RequestResponseCycle:
            self.cycle.__class__ = HeadFromLines

    def on_body(self, body: bytes) -> None:
        """A body's piece is handed to the app as the parser made it, where uvicorn copies it into
        a ``bytearray`` and out again (``bytes(...)`` in ``receive``): two copies of every byte of
        an upload on the event loop, each a fresh mapping with its pages faulted in past 128 KiB
        (bootstrap/allocator.py). Pieces that arrive before the app takes the first are gathered
        as uvicorn does."""
        cycle = self.cycle
        if cycle.body or cycle.response_complete or (self.parser.should_upgrade() and self._should_upgrade()):
            if isinstance(cycle.body, bytes):  # appending to bytes would copy all of it each time
                cycle.body = bytearray(cycle.body)
            super().on_body(body)
            return
        cycle.body = body  # type: ignore[assignment]  # receive() answers bytes(body): this same object
        if len(body) > HIGH_WATER_LIMIT:
            self.flow.pause_reading()
        cycle.message_event.set()
