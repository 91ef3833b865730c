"""A circuit breaker for the Redis client on the request path."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import redis.exceptions
import structlog

from devforge.application.common.unavailable import ServiceUnavailable

log = structlog.get_logger(__name__)

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,  # refused, reset, closed by the server
    redis.exceptions.TimeoutError,  # the client's socket timeout: a hung server
    OSError,  # the socket layer below redis-py (asyncio's TimeoutError is one too)
)
"""What a Redis server that is down, hung or unreachable makes a call raise. A Lua error or a
wrong-type reply is a bug, not an outage, and goes through untouched."""


class RedisCircuitBreaker:
    """Rules:
    - A call that fails as an outage (``OUTAGE_ERRORS``) opens the circuit for ``open_seconds``;
      the failure and every call while it is open raise ``ServiceUnavailable`` at once, so no
      request waits on a server that just failed (each call already waits at most the client's
      short socket timeout).
    - Once ``open_seconds`` have passed, one probe at a time finds out whether Redis is back:
      success closes the circuit, an outage opens it again. With a ``probe`` (production wires
      the client's PING), the probe runs in the background and the call that started it, like
      every call until it ends, is answered ``ServiceUnavailable`` at once: no request ever waits
      on a server that may still be hung. Without one, that call itself is the probe.
    One instance per process, shared by every Redis adapter on the request path."""

    def __init__(
        self,
        open_seconds: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
        *,
        probe: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self._open_seconds, self._now, self._probe = open_seconds, monotonic, probe
        self._open_until = 0.0
        self._probing = False
        self._probe_task: asyncio.Task[None] | None = None

    @property
    def is_open(self) -> bool:
        return self._open_until > self._now() or self._probing

    @asynccontextmanager
    async def guard(self) -> AsyncIterator[None]:
        now = self._now()
        if self._open_until > now or self._probing:
            raise ServiceUnavailable("redis", math.ceil(max(self._open_until - now, 1.0)))
        probe = self._open_until > 0
        if probe and self._probe is not None:
            self._probing = True
            self._probe_task = asyncio.get_running_loop().create_task(self._run_probe(self._probe))
            raise ServiceUnavailable("redis", 1)
        self._probing = probe
        try:
            yield
        except OUTAGE_ERRORS as error:
            self._opened(error)
            raise ServiceUnavailable("redis", math.ceil(self._open_seconds)) from error
        else:
            if probe:
                self._closed()
        finally:
            if probe:
                self._probing = False

    async def _run_probe(self, probe: Callable[[], Awaitable[object]]) -> None:
        try:
            await probe()
        except Exception as error:  # any failed probe (LOADING, NOAUTH, a timeout) keeps it open
            self._opened(error)
        else:
            self._closed()
        finally:
            self._probing = False

    def _opened(self, error: BaseException) -> None:
        if not self.is_open:  # a failed probe is no news
            log.warning("redis.circuit_opened", error=f"{type(error).__name__}: {error}")
        self._open_until = self._now() + self._open_seconds

    def _closed(self) -> None:
        log.info("redis.circuit_closed")
        self._open_until = 0.0
