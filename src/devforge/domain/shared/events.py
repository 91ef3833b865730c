"""Domain events: facts that happened, named in the past tense and immutable.

Every event carries its own id (so consumers can deduplicate) and the moment it happened.
An event's ``name`` is the stable, versionable string that crosses context boundaries through
the outbox; renaming a class never renames an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar
from uuid import UUID, uuid4


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    name: ClassVar[str] = "domain_event"
    occurred_at: datetime
    event_id: UUID = field(default_factory=uuid4)


class EventRecorder:
    """Mixin for aggregates that collect the events their state changes raise."""

    _pending_events: list[DomainEvent]

    def record(self, event: DomainEvent) -> None:
        if not hasattr(self, "_pending_events"):
            self._pending_events = []
        self._pending_events.append(event)

    def pull_events(self) -> list[DomainEvent]:
        """Hand over the events recorded so far; each event is handed over once."""
        events = getattr(self, "_pending_events", [])
        self._pending_events = []
        return events
