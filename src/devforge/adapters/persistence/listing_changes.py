"""Tells every process's ``ListingIndex`` which listings another process changed: PostgreSQL
LISTEN/NOTIFY.

``SqlaExtensionSearch`` sends ``pg_notify(CHANNEL, <extension id>)`` in the transaction that
writes a listing; PostgreSQL delivers it when, and only when, that transaction commits, so a
process that hears it and then reloads the listing reads the committed row. A process listens on
one connection of its own, opened at its first search. Rules: the index is usable only while the
subscription is up; each time it comes up, every listing is marked stale (changes made while it
was down were not heard); a connection that fails, closes or stops answering the heartbeat ends
the subscription, and the listener tries again once a second.
"""

from __future__ import annotations

import asyncio
import contextlib
from uuid import UUID

import asyncpg
import structlog

from devforge.adapters.persistence.listing_index import ListingIndex

log = structlog.get_logger(__name__)

CHANNEL = "devforge_marketplace_listings"


class PostgresListingChanges:
    def __init__(self, index: ListingIndex, dsn: str, *, heartbeat_seconds: float = 2.0) -> None:
        self._index, self._dsn, self._heartbeat = index, dsn, heartbeat_seconds
        self._task: asyncio.Task[None] | None = None
        self._up = asyncio.Event()

    async def start(self) -> None:
        """Listen from now on; waits up to 5 s for the subscription (searches ask SQL meanwhile)."""
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="listing-index-changes")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._up.wait(), timeout=5)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            self._index.invalidate([UUID(payload)])
        except ValueError:
            self._index.invalidate_all()

    async def _listen(self) -> None:
        while True:
            connection: asyncpg.Connection | None = None
            try:
                opened: asyncpg.Connection = await asyncio.wait_for(asyncpg.connect(self._dsn), timeout=10)
                connection = opened
                await opened.add_listener(CHANNEL, self._heard)
                self._index.invalidate_all()
                self._index.subscribed = True
                self._up.set()
                while True:
                    await asyncio.sleep(self._heartbeat)
                    await asyncio.wait_for(opened.fetchval("SELECT 1"), timeout=self._heartbeat)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self._index.subscribed:
                    log.warning("listing_index.subscription_lost", error=f"{type(error).__name__}: {error}")
            finally:
                self._index.subscribed = False
                self._up.clear()
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(connection.close(), timeout=1)
            await asyncio.sleep(1)
