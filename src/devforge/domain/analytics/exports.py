"""Exports: raw events, or a series, over a bounded range, as CSV or Parquet, written to file
storage by a worker while the requester watches its progress.

An export is queued by the request and worked under a lease by one worker at a time: each chunk
written renews the lease and records the rows so far. A worker killed mid-way leaves the export
``running`` past its lease; the next worker takes it over (``attempt`` goes up) and starts again
from the first row, writing the same file key whole (a reader never sees half of it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.analytics.queries import Interval, Measure
from devforge.domain.shared.errors import NotFound, RuleViolated

MAX_RANGE = timedelta(days=92)
MAX_EVENT_NAMES = 20
MAX_PARQUET_ROWS = 2_000_000
"""A Parquet file is written in one piece (its footer indexes the whole file), so its rows are
held at once; past this, ask for CSV (streamed a day at a time) or a narrower range."""
LEASE = timedelta(minutes=2)


class ExportKind(StrEnum):
    EVENTS = "events"
    SERIES = "series"


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"

    @property
    def content_type(self) -> str:
        return "text/csv" if self is ExportFormat.CSV else "application/vnd.apache.parquet"


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportNotFound(NotFound):
    code = "export_not_found"


@dataclass(frozen=True, slots=True)
class ExportSpec:
    """What to export: ``start <= timestamp < end`` of the ``events`` named (all when empty);
    a series is counted per ``interval`` by ``measure``."""

    kind: ExportKind
    format: ExportFormat
    start: datetime
    end: datetime
    events: tuple[str, ...] = ()
    interval: Interval = Interval.DAY
    measure: Measure = Measure.EVENTS

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise RuleViolated("An export's end comes after its start.", field="end")
        if self.end - self.start > MAX_RANGE:
            raise RuleViolated(f"An export covers at most {MAX_RANGE.days} days.", field="end")
        if len(self.events) > MAX_EVENT_NAMES:
            raise RuleViolated(f"Name at most {MAX_EVENT_NAMES} events.", field="events")


@dataclass(frozen=True, slots=True)
class Export:
    id: UUID
    spec: ExportSpec
    requested_by: UUID
    requested_at: datetime
    status: ExportStatus = ExportStatus.QUEUED
    attempt: int = 0
    lease_until: datetime | None = None
    rows: int = 0
    file_key: str = ""
    error: str = ""
    finished_at: datetime | None = None

    def due(self, now: datetime) -> bool:
        """Waiting for a worker, or left by one past its lease."""
        stalled = self.status is ExportStatus.RUNNING and self.lease_until is not None and self.lease_until <= now
        return self.status is ExportStatus.QUEUED or stalled

    def started(self, now: datetime) -> Export:
        """Taken by a worker: from the first row again, whatever an earlier attempt wrote."""
        return replace(self, status=ExportStatus.RUNNING, attempt=self.attempt + 1, lease_until=now + LEASE, rows=0)

    def progressed(self, rows: int, now: datetime) -> Export:
        return replace(self, rows=rows, lease_until=now + LEASE)

    def finished(self, rows: int, now: datetime) -> Export:
        return replace(self, status=ExportStatus.DONE, rows=rows, file_key=self.key, finished_at=now)

    def failed(self, error: str, now: datetime) -> Export:
        return replace(self, status=ExportStatus.FAILED, error=error[:500], finished_at=now)

    @property
    def key(self) -> str:
        extension = "csv" if self.spec.format is ExportFormat.CSV else "parquet"
        return f"analytics/exports/{self.id}.{extension}"

    @property
    def filename(self) -> str:
        extension = "csv" if self.spec.format is ExportFormat.CSV else "parquet"
        return f"analytics-{self.spec.kind.value}-{self.spec.start:%Y%m%d}-{self.spec.end:%Y%m%d}.{extension}"
