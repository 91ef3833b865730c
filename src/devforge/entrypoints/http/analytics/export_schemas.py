"""Bodies of ``/api/analytics/exports``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.analytics.get_export import ExportView
from devforge.domain.analytics.exports import MAX_EVENT_NAMES, Export
from devforge.entrypoints.http.schemas import LINE_PATTERN, CamelStruct

_EventName = Annotated[str, Meta(min_length=1, max_length=200, pattern=LINE_PATTERN, examples=["extension_downloaded"])]


class RequestExportRequest(CamelStruct):
    """``start <= timestamp < end`` (at most 92 days), of the events named (all when none)."""

    kind: Annotated[Literal["events", "series"], Meta(description="Raw events, or a series counted per interval")]
    format: Literal["csv", "parquet"]
    start: Annotated[datetime, Meta(examples=["2026-11-01T00:00:00Z"])]
    end: Annotated[datetime, Meta(examples=["2026-12-01T00:00:00Z"], description="Excluded")]
    events: Annotated[list[_EventName], Meta(max_length=MAX_EVENT_NAMES)] = []
    interval: Annotated[Literal["hour", "day", "week", "month"], Meta(description="A series' buckets")] = "day"
    measure: Annotated[Literal["events", "distinct_ids"], Meta(description="A series' count")] = "events"


class ExportResponse(CamelStruct):
    id: UUID
    kind: str
    format: str
    start: datetime
    end: datetime
    events: list[str]
    status: Literal["queued", "running", "done", "failed"]
    rows: Annotated[int, Meta(description="Written so far while running; all of them when done")]
    attempt: Annotated[int, Meta(description="Above 1: a worker stopped and another started it again")]
    error: str
    requested_at: datetime
    finished_at: datetime | None
    url: Annotated[str | None, Meta(description="When done: a signed link to the file, valid 15 minutes")] = None
    expires_at: datetime | None = None

    @classmethod
    def of(cls, export: Export, view: ExportView | None = None) -> ExportResponse:
        spec = export.spec
        return cls(
            export.id, spec.kind.value, spec.format.value, spec.start, spec.end, list(spec.events),
            export.status.value,
            export.rows, export.attempt, export.error, export.requested_at, export.finished_at,
            view.url if view else None, view.expires_at if view else None,
        )  # fmt: skip
