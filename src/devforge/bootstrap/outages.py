"""Which errors mean "a backing service is away" rather than "a bug": the composition root knows
the technologies, so the HTTP shell can answer them as 503 without importing a driver."""

from __future__ import annotations

import redis.exceptions
from sqlalchemy import exc as sa

from devforge.adapters.resilience.connection_outages import ConnectionOutageDetector
from devforge.application.common.unavailable import ServiceUnavailable

RETRY_SECONDS = 5
_DETECTOR = ConnectionOutageDetector()


def outage_of(error: BaseException) -> ServiceUnavailable | None:
    """``ServiceUnavailable`` for an error that says a server cannot be reached now (the
    ``OutageDetector``'s rule: refused, reset, timed out, closed, starting or shutting down), or
    that the database pool has no connection to give; else None. Errors in what was asked (SQL,
    constraints, data) are not outages."""
    if isinstance(error, ServiceUnavailable):
        return error
    if not (_DETECTOR.is_outage(error) or isinstance(error, sa.TimeoutError)):
        return None
    return ServiceUnavailable("redis" if _from_redis(error) else "database", RETRY_SECONDS)


def _from_redis(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, redis.exceptions.RedisError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False
