"""A circuit breaker for the Redis client on the request path."""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Callable
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
    - Once ``open_seconds`` have passed, one call at a time goes through as a probe: success
      closes the circuit, an outage opens it again.
    One instance per process, shared by every Redis adapter on the request path."""

    def __init__(self, open_seconds: float = 5.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._open_seconds, self._now = open_seconds, monotonic
        self._open_until = 0.0
        self._probing = False

    @property
    def is_open(self) -> bool:
        return self._open_until > self._now() or self._probing

    @asynccontextmanager
    async def guard(self) -> AsyncIterator[None]:
        now = self._now()
        if self._open_until > now or self._probing:
            raise ServiceUnavailable("redis", math.ceil(max(self._open_until - now, 1.0)))
        probe = self._open_until > 0
        self._probing = probe
        try:
            yield
        except OUTAGE_ERRORS as error:
            if not self.is_open:
                log.warning("redis.circuit_opened", error=f"{type(error).__name__}: {error}")
            self._open_until = self._now() + self._open_seconds
            raise ServiceUnavailable("redis", math.ceil(self._open_seconds)) from error
        else:
            if probe:
                log.info("redis.circuit_closed")
                self._open_until = 0.0
        finally:
            if probe:
                self._probing = False
