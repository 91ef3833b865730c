"""Integration events: what one context tells the others, through the outbox.

Each context declares what it publishes in its ``published`` module: one frozen schema per event
and version (``OrderPaidV1``), a subclass of ``IntegrationEvent`` whose fields are the payload.
The publisher maps its domain event to the schema; a consumer decodes the schema it reads, and
never indexes the payload. A published schema never changes: a change is a new class with the
next ``VERSION`` beside the old one, so a reader of version 1 is never handed a payload it
misreads. An event of a version a consumer does not read is a dead letter, not a retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self, TypeVar, overload
from uuid import UUID, uuid4

from devforge.application.common.event_codec import PayloadMismatch, from_plain, to_plain

E = TypeVar("E", bound="IntegrationEvent")
A = TypeVar("A", bound="IntegrationEvent")
B = TypeVar("B", bound="IntegrationEvent")
C = TypeVar("C", bound="IntegrationEvent")


@dataclass(frozen=True, slots=True)
class EventEnvelope:
    """An event as the outbox holds it: its schema's name and version, and the plain payload."""

    event_id: UUID
    name: str
    occurred_at: datetime
    payload: dict[str, Any]
    version: int = 1


@dataclass(frozen=True, kw_only=True)
class IntegrationEvent:
    """A published event's schema. ``NAME`` and ``VERSION`` name it in the outbox."""

    NAME: ClassVar[str]
    VERSION: ClassVar[int]

    def envelope(self, occurred_at: datetime, event_id: UUID | None = None) -> EventEnvelope:
        return EventEnvelope(event_id or uuid4(), self.NAME, occurred_at, to_plain(self), self.VERSION)

    @classmethod
    def decode(cls, envelope: EventEnvelope) -> Self:
        return decode(envelope, cls)


class UndeliverableEvent(Exception):
    """Retrying cannot help: the event is not one the consumer can read. Its delivery goes to
    the dead letters at once, with this reason, for an operator (or a new release) to settle."""


class UnknownEventVersion(UndeliverableEvent):
    pass


class MalformedEvent(UndeliverableEvent):
    pass


@overload
def decode(envelope: EventEnvelope, first: type[A], second: type[B], /) -> A | B: ...
@overload
def decode(envelope: EventEnvelope, first: type[A], second: type[B], third: type[C], /) -> A | B | C: ...
@overload
def decode(envelope: EventEnvelope, *schemas: type[E]) -> E: ...
def decode(envelope: EventEnvelope, *schemas: type[IntegrationEvent]) -> IntegrationEvent:
    """The envelope as the one of ``schemas`` with its name and version."""
    for schema in schemas:
        if (envelope.name, envelope.version) == (schema.NAME, schema.VERSION):
            try:
                return from_plain(schema, envelope.payload)
            except PayloadMismatch as error:
                raise MalformedEvent(
                    f"{envelope.name} v{envelope.version} does not fit {schema.__name__}: {error}"
                ) from None
    raise UnknownEventVersion(unreadable(envelope, schemas))


def readable(envelope: EventEnvelope, schemas: tuple[type[IntegrationEvent], ...]) -> bool:
    return any((envelope.name, envelope.version) == (schema.NAME, schema.VERSION) for schema in schemas)


def unreadable(envelope: EventEnvelope, schemas: tuple[type[IntegrationEvent], ...]) -> str:
    known = sorted(schema.VERSION for schema in schemas if envelope.name == schema.NAME)
    reads = f"reads version {', '.join(map(str, known))}" if known else "does not read it at all"
    return f"{envelope.name} version {envelope.version} is unknown here ({reads})"
