"""Draining: a stopping API process first leaves the load balancer's rotation, then closes."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

import structlog

log = structlog.get_logger(__name__)


class Draining:
    """Whether this process is draining: ``/health/ready`` answers 503 from then on."""

    def __init__(self) -> None:
        self.active = False


@asynccontextmanager
async def draining_on_sigterm(draining: Draining, seconds: float) -> AsyncIterator[None]:
    """Rules:
    - The first SIGTERM starts draining: readiness fails at once, so balancers stop sending new
      requests, while the process keeps serving everything that still arrives for ``seconds``.
    - Then the server's own SIGTERM handling runs (uvicorn: stop listening, finish the requests
      in flight, run the shutdown). A second SIGTERM skips the rest of the drain.
    Installed in front of the server's handler, which the server set before the app started; only
    in the main thread (where signals are delivered) and only for the life of the app."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    previous = signal.getsignal(signal.SIGTERM)

    def close(sig: int, frame: FrameType | None) -> None:
        if callable(previous):
            previous(sig, frame)
        else:
            signal.signal(signal.SIGTERM, previous)
            signal.raise_signal(sig)

    def on_sigterm(sig: int, frame: FrameType | None) -> None:
        if draining.active:
            close(sig, frame)
            return
        draining.active = True
        # A signal handler may run in the middle of the loop's own code: hand over thread-safely.
        loop.call_soon_threadsafe(_later, loop, seconds, close, sig)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) is on_sigterm:
            signal.signal(signal.SIGTERM, previous)


def _later(loop: asyncio.AbstractEventLoop, seconds: float, close: Callable[..., Any], sig: int) -> None:
    log.info("draining", seconds=seconds)
    loop.call_later(seconds, close, sig, None)
