from __future__ import annotations

from typing import Protocol

from devforge.application.common.integration_events import EventEnvelope


class EventConsumer(Protocol):
    """Reacts to integration events. It runs inside the delivery's transaction and must not
    commit: its writes and the delivery's DONE mark are kept together or not at all."""

    name: str
    subscribes_to: tuple[str, ...]

    async def handle(self, event: EventEnvelope) -> None: ...


class Subscriptions:
    """Which consumers (by name) want which events (by name)."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self._by_event: dict[str, list[str]] = {}
        for consumer, events in table.items():
            for event_name in events:
                self._by_event.setdefault(event_name, []).append(consumer)

    def consumers_of(self, event_name: str) -> list[str]:
        return list(self._by_event.get(event_name, ()))
