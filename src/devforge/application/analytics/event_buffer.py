"""Accepted events wait in the process for a bulk insert: the analytics engine wants few large
inserts (ClickHouse: about one per second per table), not one per request.

Decided and documented (architecture.md, "The analytics context"): the buffer is in memory, not
durable. A process that stops flushes it (the API job's last run); a process that crashes loses
what it held, at most ``analytics_flush_seconds`` of accepted events (and never past ``limit``),
and those uuids stay claimed for the dedup window, so a resend is answered ``duplicate``. Server
facts (sign-ups, purchases, refunds...) never wait here: their consumers insert them at once,
inside their delivery, so they are at least once like every delivery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

import structlog

from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.event import AnalyticsEvent

log = structlog.get_logger(__name__)


class EventBuffer:
    """One per process. Only the API job writes it out (every ``analytics_flush_seconds``): a
    request never waits for the store. Past ``limit`` events (the store is away or slow) it has
    no room: the ingestion answers 503 with Retry-After and the editors keep their queues."""

    def __init__(self, limit: int, now: Callable[[], datetime]) -> None:
        self._now = now
        self._events: list[AnalyticsEvent] = []
        self._links: list[tuple[str, UUID]] = []
        self.limit = limit
        self.flushing = False
        """A flag, not a lock: a flush already running makes another a no-op (the API job runs
        again within a second), and a flag is not bound to one event loop."""

    def __len__(self) -> int:
        return len(self._events)

    def has_room_for(self, count: int) -> bool:
        return len(self._events) + count <= self.limit

    def add_links(self, links: list[tuple[str, UUID]]) -> None:
        self._links.extend(links)

    def add(self, events: list[AnalyticsEvent]) -> None:
        self._events.extend(events)

    async def flush_into(self, store: AnalyticsStore) -> int:
        """Writes what the buffer holds in one insert and answers how many. One flush at a
        time (another asked meanwhile writes nothing); a failed insert puts its events back first
        in line for the next one (the store's uuid dedup makes a partly written insert harmless
        when it is retried)."""
        if self.flushing or (not self._events and not self._links):
            return 0
        self.flushing = True
        events, self._events = self._events, []
        links, self._links = self._links, []
        try:
            if links:
                await store.link(links, self._now())
            await store.insert(events)
        except Exception:
            self._events[:0] = events
            self._links[:0] = links
            log.exception("analytics_flush_failed", events=len(events))
            raise
        finally:
            self.flushing = False
        return len(events)
