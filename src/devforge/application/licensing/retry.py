"""One retry policy for writes that lost an optimistic race (SQLite has no row locks)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.errors import LicenseChangedConcurrently

ATTEMPTS = 8
T = TypeVar("T")


async def retrying(uow: UnitOfWork, attempt: Callable[[], Awaitable[T]]) -> T:
    """Run ``attempt`` (load, decide, store, commit) again on a fresh read when another
    transaction stored the license first. On PostgreSQL the row lock makes this rare; on SQLite
    each retry sees the winner's state, so racing activations settle on the seat limit."""
    for _ in range(ATTEMPTS - 1):
        try:
            return await attempt()
        except LicenseChangedConcurrently:
            await uow.rollback()
    return await attempt()
