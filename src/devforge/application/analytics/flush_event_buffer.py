"""Writes the process's buffered events to the store in one insert: every ``analytics_flush_seconds``
(an API job) and once more as the process stops. Only here: a request never waits for a flush."""

from __future__ import annotations

from devforge.application.analytics.event_buffer import EventBuffer
from devforge.application.analytics.ports import AnalyticsStore


class FlushEventBuffer:
    def __init__(self, buffer: EventBuffer, store: AnalyticsStore) -> None:
        self._buffer, self._store = buffer, store

    async def __call__(self) -> int:
        return await self._buffer.flush_into(self._store)
