"""Database errors are logged without the values they were about.

SQLAlchemy's message carries the statement's parameters (switched off with ``hide_parameters``
on every engine), but the database's own message carries values too: PostgreSQL's ``DETAIL:
Key (email)=(ada@example.com) already exists``, asyncpg's ``invalid input for query argument $1:
'<value>'``, ``invalid input syntax for type uuid: "<value>"``. So an exception that came from
the database is logged as its frames, its class, its SQLSTATE, the constraint, table and column
it names, and the parameterized statement; its message is withheld, and so are the messages of
every exception chained to it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator, MutableMapping
from types import TracebackType
from typing import Any

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def withhold_database_error_values(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> Any:
    """A structlog processor, placed before the one that formats ``exc_info``."""
    exc_info = _exc_info(event.get("exc_info"))
    if exc_info is None or not any(_from_database(error) for error in _chain(exc_info[1])):
        return event
    event.pop("exc_info")
    event["exception"] = "".join(_safe_lines(exc_info[1]))
    return event


def _exc_info(value: Any) -> ExcInfo | None:
    if value is True:
        value = sys.exc_info()
    if isinstance(value, BaseException):
        return type(value), value, value.__traceback__
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], BaseException):
        return value
    return None


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _from_database(error: BaseException) -> bool:
    """SQLAlchemy's statement errors (``statement`` and ``orig``), or a driver's (``sqlstate``)."""
    return (hasattr(error, "statement") and hasattr(error, "orig")) or hasattr(error, "sqlstate")


def _safe_lines(error: BaseException) -> Iterator[str]:
    for link in reversed(list(_chain(error))):
        yield "Traceback (most recent call last):\n"
        yield from traceback.format_tb(link.__traceback__)
        yield f"{type(link).__module__}.{type(link).__qualname__}: {_summary(link)}\n"


def _summary(error: BaseException) -> str:
    """Every link of the chain loses its message (a driver's own encoding error echoes the
    value too); what the links say about the failure without values is kept."""
    facts = [
        f"{name}={value}"
        for name in ("sqlstate", "constraint_name", "table_name", "column_name")
        if (value := getattr(error, name, None))
    ]
    statement = getattr(error, "statement", None)
    if statement:
        facts.append(f"statement={' '.join(str(statement).split())[:500]}")
    return " ".join(["(message withheld: it may hold values)", *facts])
