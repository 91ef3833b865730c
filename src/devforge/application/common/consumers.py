from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from devforge.application.common.integration_events import EventEnvelope, IntegrationEvent


class EventConsumer(Protocol):
    """Reacts to integration events. It runs inside the delivery's transaction and must not
    commit: its writes and the delivery's DONE mark are kept together or not at all.
    ``subscribes_to`` names the published schemas it reads, each an event's name and version;
    an event of the same name in another version is a dead letter for it."""

    name: str
    subscribes_to: tuple[type[IntegrationEvent], ...]

    async def handle(self, event: EventEnvelope) -> None: ...


class BatchConsumer(EventConsumer, Protocol):
    """A consumer whose work on many events at once costs little more than on one (one insert
    of many rows, one call to a server): the worker hands it the due events it claimed together
    in one transaction. ``handle_batch`` has the effect of ``handle`` on each event, all or
    nothing: when it raises, the worker runs ``handle`` on each event by itself, so a failure
    counts against the event that caused it."""

    async def handle_batch(self, events: Sequence[EventEnvelope]) -> None: ...


def handles_batches(consumer: type[EventConsumer] | EventConsumer) -> bool:
    return callable(getattr(consumer, "handle_batch", None))


class Subscriptions:
    """Which consumers (by name) want which events (by name, whatever their version)."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self._by_event: dict[str, list[str]] = {}
        for consumer, events in table.items():
            for event_name in dict.fromkeys(events):
                self._by_event.setdefault(event_name, []).append(consumer)

    @classmethod
    def of(cls, consumers: Iterable[type[EventConsumer]]) -> Subscriptions:
        return cls({consumer.name: tuple(schema.NAME for schema in consumer.subscribes_to) for consumer in consumers})

    def consumers_of(self, event_name: str) -> list[str]:
        return list(self._by_event.get(event_name, ()))
