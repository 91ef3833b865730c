"""An outage is a server we could not reach; anything else is the work's own failure."""

from __future__ import annotations

import aiosmtplib
import asyncpg
import pytest
import redis.exceptions
import sqlalchemy.exc

from devforge.adapters.resilience.connection_outages import ConnectionOutageDetector
from devforge.application.common.unavailable import ServiceUnavailable

detector = ConnectionOutageDetector()


def wrapped(error: BaseException, outer: BaseException) -> BaseException:
    try:
        try:
            raise error
        except BaseException as inner:
            raise outer from inner
    except BaseException as caught:
        return caught


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError("refused"),
        ConnectionResetError("reset"),
        TimeoutError(),
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6380"),
        redis.exceptions.TimeoutError("Timeout reading from socket"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        aiosmtplib.SMTPConnectError("Error connecting to 127.0.0.1 on port 2525"),
        aiosmtplib.SMTPServerDisconnected("Connection lost"),
        aiosmtplib.SMTPResponseException(451, "4.3.0 Try again later"),
        aiosmtplib.SMTPRecipientsRefused([aiosmtplib.SMTPRecipientRefused(450, "greylisted", "ann@example.com")]),
        sqlalchemy.exc.DBAPIError("SELECT 1", None, Exception("connection is closed"), connection_invalidated=True),
        wrapped(ConnectionRefusedError("refused"), RuntimeError("the cache could not be told")),
        ServiceUnavailable("redis", 5),
        sqlalchemy.exc.TimeoutError("QueuePool limit of size 20 overflow 10 reached"),
    ],
    ids=repr,
)
def test_an_unreachable_server_is_an_outage(error: BaseException) -> None:
    assert detector.is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad payload"),
        KeyError("order_id"),
        aiosmtplib.SMTPResponseException(550, "5.1.1 No such user"),
        aiosmtplib.SMTPRecipientsRefused([aiosmtplib.SMTPRecipientRefused(550, "no such user", "ann@example.com")]),
        sqlalchemy.exc.IntegrityError("INSERT", None, Exception("duplicate key")),
        sqlalchemy.exc.DBAPIError("SELECT 1", None, Exception("syntax error"), connection_invalidated=False),
    ],
    ids=repr,
)
def test_a_failure_of_the_work_itself_is_not(error: BaseException) -> None:
    assert not detector.is_outage(error)
