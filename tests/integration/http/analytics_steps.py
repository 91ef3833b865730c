"""Helpers for the analytics HTTP tests: a client on in-memory adapters with a clock the test
moves, an ingestion key made by an admin, and events as an editor would send them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from dishka import AsyncContainer

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.create_ingestion_key import CreatedIngestionKey, CreateIngestionKey
from devforge.application.analytics.flush_event_buffer import FlushEventBuffer
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission

ADMIN = Actor.holding(uuid4(), AnalyticsPermission.KEYS_MANAGE)


async def ingestion_key(container: AsyncContainer, name: str = "Editor 2.x") -> CreatedIngestionKey:
    async with container() as scope:
        return await (await scope.get(CreateIngestionKey))(ADMIN, name)


def sending(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def an_event(
    name: str = "app_started", who: str = "install-1", at: datetime | None = None, **fields: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {"event": name, "distinct_id": who, "uuid": str(uuid4()), **fields}
    if at is not None:
        event.setdefault("timestamp", at.isoformat())
        event.setdefault("sent_at", at.isoformat())
    return event


async def stored(container: AsyncContainer) -> InMemoryAnalyticsStore:
    """The store after the process's buffer is flushed."""
    async with container() as scope:
        await (await scope.get(FlushEventBuffer))()
    return await container.get(InMemoryAnalyticsStore)


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


__all__ = ["ManualClock"]
