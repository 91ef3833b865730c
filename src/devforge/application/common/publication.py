"""How a context's domain events become its published events in the outbox.

Each context has one ``Publication``: every domain event it raises mapped to the published
schema it goes out as. Its use cases write their aggregates' events with its ``record``, in the
transaction of the state they describe. A domain event with no mapping is a programming error,
raised before anything is committed (and caught by the contract tests first).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from devforge.application.common.event_codec import from_plain, to_plain
from devforge.application.common.integration_events import EventEnvelope, IntegrationEvent
from devforge.application.common.outbox import Outbox
from devforge.domain.shared.events import DomainEvent, EventRecorder

S = TypeVar("S", bound=IntegrationEvent)
Mapper = Callable[[Any], IntegrationEvent]


class UnpublishedEvent(TypeError):
    pass


class Mirror(Generic[S]):
    """Maps a domain event to ``schema`` by its fields of the same names (ids, times, parts and
    enums made plain, then read back as the schema's types). The contract tests check that the
    domain event has every field the schema needs."""

    def __init__(self, schema: type[S]) -> None:
        self.schema = schema

    def __call__(self, event: DomainEvent) -> S:
        fields = {f.name: to_plain(getattr(event, f.name)) for f in dataclasses.fields(self.schema)}
        return from_plain(self.schema, fields)


class Publication:
    def __init__(self, mappers: Mapping[type[DomainEvent], Mapper]) -> None:
        self._mappers = dict(mappers)

    @property
    def mappers(self) -> Mapping[type[DomainEvent], Mapper]:
        return dict(self._mappers)

    def envelope(self, event: DomainEvent) -> EventEnvelope:
        mapper = self._mappers.get(type(event))
        if mapper is None:
            raise UnpublishedEvent(f"{type(event).__name__} is not mapped to a published schema")
        return mapper(event).envelope(event.occurred_at, event.event_id)

    async def record(self, outbox: Outbox, *aggregates: EventRecorder | None) -> None:
        """Move the aggregates' pending events into the outbox (same transaction as their state)."""
        events = [event for aggregate in _present(aggregates) for event in aggregate.pull_events()]
        await outbox.add([self.envelope(event) for event in events])


def _present(aggregates: Iterable[EventRecorder | None]) -> Iterable[EventRecorder]:
    return (aggregate for aggregate in aggregates if aggregate is not None)
