"""An answer's head and body leave in one write; order, flow control and closing are kept."""

from __future__ import annotations

import asyncio

from devforge.entrypoints.http.server_protocol import FLUSH_BYTES, CoalescingTransport


class RecordingTransport:
    """A transport that records each call that reaches the socket."""

    def __init__(self) -> None:
        self.writes: list[list[bytes]] = []
        self.closed = False
        self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append([data])

    def writelines(self, lines: list[bytes]) -> None:
        self.writes.append(list(lines))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> str:
        return f"extra {name}"


async def test_the_head_and_the_body_written_in_one_turn_reach_the_socket_as_one_write() -> None:
    real = RecordingTransport()
    transport = CoalescingTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    transport.write(b"ok")
    assert real.writes == []
    await asyncio.sleep(0)
    assert real.writes == [[b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n", b"ok"]]


async def test_a_large_body_goes_out_as_it_is_written_so_flow_control_still_sees_it() -> None:
    real = RecordingTransport()
    transport = CoalescingTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"head")
    transport.write(b"x" * FLUSH_BYTES)
    assert real.writes == [[b"head", b"x" * FLUSH_BYTES]]
    assert transport.get_write_buffer_size() == 0
    await asyncio.sleep(0)
    assert len(real.writes) == 1


async def test_closing_sends_what_is_held_first_and_abort_drops_it() -> None:
    real = RecordingTransport()
    transport = CoalescingTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"last words")
    transport.close()
    assert real.writes == [[b"last words"]]
    assert real.closed

    other = RecordingTransport()
    aborted = CoalescingTransport(other, asyncio.get_running_loop())  # type: ignore[arg-type]
    aborted.write(b"never sent")
    aborted.abort()
    await asyncio.sleep(0)
    assert other.writes == []
    assert other.aborted


async def test_everything_else_is_the_real_transports() -> None:
    transport = CoalescingTransport(RecordingTransport(), asyncio.get_running_loop())  # type: ignore[arg-type]
    assert transport.get_extra_info("peername") == "extra peername"
