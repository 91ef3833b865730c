"""Which exceptions of the libraries we use mean "the server is unreachable right now"."""

from __future__ import annotations

import aiosmtplib
import asyncpg
import redis.exceptions
import sqlalchemy.exc

from devforge.application.common.unavailable import ServiceUnavailable

_UNREACHABLE: tuple[type[BaseException], ...] = (
    ServiceUnavailable,  # our adapters' own word for it (a circuit breaker open, a short timeout)
    ConnectionError,  # refused, reset, aborted, broken pipe; aiosmtplib's disconnects too
    TimeoutError,  # asyncio's, socket's and aiosmtplib's timeouts
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,  # starting up or in recovery
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,  # the server's connection slots are all taken: try again shortly
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free in time
)


class ConnectionOutageDetector:
    """The one ``OutageDetector`` of every profile. It follows an error's cause and context, as
    SQLAlchemy wraps the driver's error and our own code may re-raise. SMTP replies in the 4xx
    range ("try again later": greylisting, a relay shedding load) count as outages too; a 5xx
    reply does not."""

    def is_outage(self, error: BaseException) -> bool:
        seen: set[int] = set()
        pending: list[BaseException] = [error]
        while pending:
            current = pending.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if _unreachable(current):
                return True
            pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        return False


def _unreachable(error: BaseException) -> bool:
    if isinstance(error, _UNREACHABLE):
        return True
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return 400 <= error.code < 500
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(400 <= r.code < 500 for r in error.recipients)
    return False
