"""The envelope that carries a domain event across contexts through the outbox.

Consumers in other contexts see only the envelope (a name, ids and plain JSON values), never the
publishing context's classes: that is what keeps contexts independent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True)
class EventEnvelope:
    event_id: UUID
    name: str
    occurred_at: datetime
    payload: dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def envelope(event: DomainEvent) -> EventEnvelope:
    payload = {
        f.name: _plain(getattr(event, f.name))
        for f in dataclasses.fields(event)
        if f.name not in ("event_id", "occurred_at")
    }
    return EventEnvelope(event.event_id, event.name, event.occurred_at, payload)
