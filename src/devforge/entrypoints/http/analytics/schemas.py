"""Bodies of the analytics routes. The events body is documented here and decoded by
``event_decoding`` (event by event, so one bad event does not refuse its batch)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from devforge.application.analytics.create_ingestion_key import CreatedIngestionKey
from devforge.application.analytics.ingest_events import IngestAnswer
from devforge.domain.analytics.ingestion import Verdict
from devforge.domain.analytics.ingestion_key import IngestionKey
from devforge.domain.analytics.live import LiveFigures
from devforge.entrypoints.http.schemas import LINE_PATTERN, CamelStruct

_EXAMPLE_UUID = "0190c7a2-4b1e-7c3d-9f00-5a1b2c3d4e5f"
_Instant = Annotated[
    str, Meta(max_length=40, pattern=LINE_PATTERN, examples=["2026-12-07T09:30:00.250Z"], description="ISO 8601")
]


class EventContextDoc(msgspec.Struct):
    editor_version: Annotated[str, Meta(max_length=64, pattern=LINE_PATTERN, examples=["2.4.1"])] = ""
    os: Annotated[str, Meta(max_length=64, pattern=LINE_PATTERN, examples=["linux"])] = ""
    locale: Annotated[str, Meta(max_length=35, pattern=LINE_PATTERN, examples=["fr-CA"])] = ""


class EventDoc(msgspec.Struct):
    """One event (PostHog's capture field names). timestamp is when it happened by the client's
    clock, sent_at when the client sent it: the server keeps now + (timestamp - sent_at), so a
    client clock that is off does not move the event. Unknown fields are ignored."""

    event: Annotated[str, Meta(min_length=1, max_length=200, pattern=LINE_PATTERN, examples=["extension_installed"])]
    distinct_id: Annotated[str, Meta(min_length=1, max_length=200, pattern=LINE_PATTERN, examples=["install-6f1c2b"])]
    uuid: Annotated[
        str,
        Meta(
            max_length=64,
            pattern=LINE_PATTERN,
            examples=[_EXAMPLE_UUID],
            description="Unique per event; a repeat is a duplicate",
        ),
    ]
    timestamp: _Instant | None = None
    sent_at: _Instant | None = None
    properties: Annotated[dict[str, Any], Meta(examples=[{"extension": "acme.rust", "version": "1.2.0"}])] = {}
    context: EventContextDoc | None = None


class EventsBatchDoc(msgspec.Struct):
    batch: Annotated[list[EventDoc], Meta(min_length=1, max_length=1000)]
    sent_at: _Instant | None = None


class EventAnswerResponse(CamelStruct):
    uuid: Annotated[str, Meta(description="As sent (empty when it could not be read)")]
    status: Literal["accepted", "duplicate", "rejected"]
    reason: Annotated[
        Literal["too_large", "too_deep", "invalid", "opted_out", "too_old"] | None,
        Meta(description="Why it was rejected"),
    ] = None
    detail: str = ""


_STATUS: dict[Verdict, Literal["accepted", "duplicate", "rejected"]] = {
    Verdict.ACCEPTED: "accepted",
    Verdict.DUPLICATE: "duplicate",
    Verdict.REJECTED: "rejected",
}
"""A dict lookup per event, not an enum's ``.value`` (a descriptor call: a thousand per batch)."""


class EventsAnswerResponse(CamelStruct):
    accepted: int
    duplicate: int
    rejected: int
    events: Annotated[list[EventAnswerResponse], Meta(description="One per event sent, in order")]

    @classmethod
    def of(cls, answer: IngestAnswer) -> EventsAnswerResponse:
        return cls(
            answer.count(Verdict.ACCEPTED),
            answer.count(Verdict.DUPLICATE),
            answer.count(Verdict.REJECTED),
            [
                EventAnswerResponse(
                    each.uuid, _STATUS[each.status], each.reason.value if each.reason else None, each.detail
                )
                for each in answer.events
            ],
        )


class CreateIngestionKeyRequest(CamelStruct):
    name: Annotated[str, Meta(min_length=1, max_length=100, pattern=LINE_PATTERN, examples=["Editor 2.x builds"])]


class IngestionKeyResponse(CamelStruct):
    id: UUID
    name: str
    prefix: Annotated[str, Meta(description="The key's first 12 characters, to tell keys apart")]
    created_by: UUID
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: IngestionKey) -> IngestionKeyResponse:
        return cls(key.id, key.name, key.prefix, key.created_by, key.created_at, key.revoked_at)


class CreatedIngestionKeyResponse(CamelStruct):
    key: Annotated[
        str,
        Meta(
            description="Shown this once. Built into the editor and sent as 'Authorization: Bearer <key>'.",
            examples=["dfi_pub_Vq3Yx5rO0v0s1l0i9kZb4nJf7Jk3J8o9"],
        ),
    ]
    ingestion_key: IngestionKeyResponse

    @classmethod
    def of(cls, created: CreatedIngestionKey) -> CreatedIngestionKeyResponse:
        return cls(created.secret, IngestionKeyResponse.of(created.key))


class LiveCountsMessage(CamelStruct):
    """The data of a live stream's ``counts`` event."""

    at: datetime
    events_per_minute: int
    events_today: int
    editors_active: int
    downloads_today: int
    revenue_today: dict[str, int]

    @classmethod
    def of(cls, figures: LiveFigures) -> LiveCountsMessage:
        return cls(
            figures.at,
            figures.events_per_minute,
            figures.events_today,
            figures.editors_active,
            figures.downloads_today,
            figures.revenue_today,
        )
