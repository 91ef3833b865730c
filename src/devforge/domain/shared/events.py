"""Domain events: facts that happened, named in the past tense and immutable.

Every event carries its own id (so consumers can deduplicate) and the moment it happened.
A domain event is not the contract with other contexts: its context's publication maps it to a
published schema (``application/<context>/published.py``), whose name and version cross the
boundary through the outbox, so renaming a class or a field here never renames an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
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
