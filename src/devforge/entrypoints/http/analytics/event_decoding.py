"""The events body, decoded event by event, so one bad event is rejected alone (with its reason)
and the rest of its batch is taken. Field names are PostHog's capture API's (``distinct_id``,
``sent_at``), so its client libraries' shapes fit; unknown fields are ignored, as there, so newer
editors can send more without older servers refusing them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.exceptions import ValidationException

from devforge.application.analytics.ingest_events import IncomingEvent

_Short = Annotated[str, msgspec.Meta(max_length=64)]


class EventContextBody(msgspec.Struct):
    editor_version: _Short = ""
    os: _Short = ""
    locale: Annotated[str, msgspec.Meta(max_length=35)] = ""


class EventBody(msgspec.Struct):
    event: str
    distinct_id: str
    uuid: UUID
    """Decoded by msgspec (in C, about a third of ``uuid.UUID(text)``'s time, per event)."""
    timestamp: datetime | None = None
    sent_at: datetime | None = None
    properties: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"{}"))
    context: EventContextBody = msgspec.field(default_factory=EventContextBody)


class BatchBody(msgspec.Struct):
    """Any object: without ``batch`` it is one event (read again as an ``EventBody``)."""

    batch: list[msgspec.Raw] | None = None
    sent_at: datetime | None = None


_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])
_BATCH = msgspec.json.Decoder(BatchBody)
_EVENT = msgspec.json.Decoder(EventBody)
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _unreadable(message: str) -> ValidationException:
    """Not UTF-8, not JSON, or neither an event nor a batch: 400 naming ``body``."""
    return ValidationException(message, extra=[{"key": "body", "message": message}])


def events_of(body: bytes) -> tuple[list[IncomingEvent], datetime | None]:
    """The events of a body holding one event or ``{"batch": [...]}``, and the batch's ``sent_at``."""
    try:
        body.decode("utf-8")  # strict: overlong forms and encoded surrogates are refused too
    except UnicodeDecodeError as error:
        raise _unreadable(f"The body is not valid UTF-8 (byte {error.start}).") from None
    try:
        batch = _BATCH.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as error:
        raise _unreadable(f"The body is neither an event nor a batch: {error}") from None
    if batch.batch is None:
        return [incoming(msgspec.Raw(body))], None
    return [incoming(raw) for raw in batch.batch], batch.sent_at


def incoming(raw: msgspec.Raw) -> IncomingEvent:
    size = len(raw)
    try:
        body = _EVENT.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as error:
        return IncomingEvent(size=size, malformed=str(error), uuid_text=_uuid_text(raw))
    properties = bytes(body.properties)
    if properties[:1] != b"{":
        return IncomingEvent(size=size, malformed="properties: expected an object", uuid_text=str(body.uuid))
    timestamp, sent_at, context = body.timestamp, body.sent_at, body.context
    return IncomingEvent(
        body.event,
        body.distinct_id,
        body.uuid,
        "",
        timestamp if timestamp is None or timestamp.tzinfo is not None else timestamp.replace(tzinfo=UTC),
        sent_at if sent_at is None or sent_at.tzinfo is not None else sent_at.replace(tzinfo=UTC),
        properties.decode(),
        context.editor_version,
        context.os,
        context.locale,
        size,
        _depth(properties),
    )  # positional, and the zone filled in place (a time without one is UTC): this runs per event


def _depth(json: bytes) -> int:
    """How deep arrays and objects nest (brackets in strings do not count); flat properties (one
    bracket pair: the object itself) are not scanned."""
    if json.count(b"[") + json.count(b"{") <= 1:
        return 1
    depth = deepest = 0
    for byte in _STRINGS.sub(b"", json).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _uuid_text(raw: msgspec.Raw) -> str:
    """The uuid of an event that did not decode, when it can be read, to say which was rejected."""
    try:
        value = _TOP.decode(raw).get("uuid")
        text = msgspec.json.decode(bytes(value)) if value is not None else ""
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return ""
    return text if isinstance(text, str) else ""
