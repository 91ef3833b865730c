"""Which errors mean "a backing service is away" rather than "a bug": the composition root knows
the technologies, so the HTTP shell can answer them as 503 without importing a driver."""

from __future__ import annotations

import redis.exceptions
from sqlalchemy import exc as sa

from devforge.application.common.unavailable import ServiceUnavailable

RETRY_SECONDS = 5
# SQLSTATE classes of a database that cannot take work now: 08 connection exceptions, 57P01-03
# an administrator or crash shutdown, or a server still starting.
_OUTAGE_SQLSTATES = ("08", "57P")


def outage_of(error: BaseException) -> ServiceUnavailable | None:
    """``ServiceUnavailable`` for an error that says the database or Redis cannot be reached now
    (connection refused, closed or lost, the pool exhausted, the server starting or shutting
    down), else None. Errors in what was asked (SQL, constraints, data) are not outages."""
    if isinstance(error, ServiceUnavailable):
        return error
    if isinstance(error, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return ServiceUnavailable("redis", RETRY_SECONDS)
    if isinstance(error, sa.DBAPIError):
        if error.connection_invalidated or _sqlstate(error.orig).startswith(_OUTAGE_SQLSTATES):
            return ServiceUnavailable("database", RETRY_SECONDS)
        return None
    # A connection refused or reset while connecting (asyncpg raises these unwrapped), a pool
    # with no connection left, or a server refusing work before SQLAlchemy wrapped anything.
    if isinstance(error, ConnectionError | sa.TimeoutError) or _sqlstate(error).startswith(_OUTAGE_SQLSTATES):
        return ServiceUnavailable("database", RETRY_SECONDS)
    return None


def _sqlstate(error: BaseException | None) -> str:
    return str(getattr(error, "sqlstate", "") or "")
