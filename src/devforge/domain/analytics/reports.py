"""Scheduled reports: a fixed set of definitions (what figures, how often), and their runs, one
per (report, period), made once however many workers try.

A run is claimed by inserting it (the pair is unique), then worked under a lease: a worker that
dies leaves it ``running`` past its lease, and the next worker takes it over (``attempt`` goes
up), rewriting the same files. Only the holder of the latest attempt finishes it, so it is
finished (and mailed) once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.analytics.queries import Interval, Measure
from devforge.domain.shared.errors import NotFound

LEASE = timedelta(minutes=10)


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"

    def period_before(self, now: datetime) -> tuple[datetime, datetime]:
        """The last complete period before ``now`` (UTC): Monday to Monday, or a calendar month."""
        today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        if self is Cadence.WEEKLY:
            end = today - timedelta(days=today.weekday())
            return end - timedelta(days=7), end
        end = today.replace(day=1)
        return (end - timedelta(days=1)).replace(day=1), end


@dataclass(frozen=True, slots=True)
class FigureSpec:
    """One figure of a report: a metric's name (as the metric catalogue names it) and how the
    store's query shapes count it until the catalogue serves it (events named, measure)."""

    metric: str
    title: str
    events: tuple[str, ...]
    measure: Measure = Measure.EVENTS
    chart: str = "bar"
    """``bar`` or ``line``."""


@dataclass(frozen=True, slots=True)
class ReportDefinition:
    key: str
    title: str
    cadence: Cadence
    interval: Interval
    figures: tuple[FigureSpec, ...]


_FIGURES = (
    FigureSpec("users.new", "New sign-ups", ("signed_up",)),
    FigureSpec("users.active_installs", "Active editors", ("app_started",), Measure.DISTINCT_IDS, "line"),
    FigureSpec("extensions.downloads", "Extension downloads", ("extension_downloaded",)),
    FigureSpec("revenue.order_count", "Paid orders", ("order_paid",)),
    FigureSpec("revenue.refund_count", "Refunds", ("order_refunded",)),
    FigureSpec("licensing.activations", "License activations", ("license_activated",)),
)

REPORTS = (
    ReportDefinition("platform-weekly", "Platform, weekly", Cadence.WEEKLY, Interval.DAY, _FIGURES),
    ReportDefinition("platform-monthly", "Platform, monthly", Cadence.MONTHLY, Interval.DAY, _FIGURES),
)


class ReportNotFound(NotFound):
    code = "report_not_found"


class ReportRunNotFound(NotFound):
    code = "report_run_not_found"


def report(key: str) -> ReportDefinition:
    found = next((each for each in REPORTS if each.key == key), None)
    if found is None:
        raise ReportNotFound(f"No report {key!r}.", field="reportKey")
    return found


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class ReportRun:
    id: UUID
    report_key: str
    period_start: datetime
    period_end: datetime
    status: RunStatus
    attempt: int
    lease_until: datetime
    created_at: datetime
    finished_at: datetime | None = None
    pdf_key: str = ""
    csv_key: str = ""

    @classmethod
    def claim(cls, run_id: UUID, definition: ReportDefinition, now: datetime) -> ReportRun:
        start, end = definition.cadence.period_before(now)
        return cls(run_id, definition.key, start, end, RunStatus.RUNNING, 1, now + LEASE, now)

    def stalled(self, now: datetime) -> bool:
        return self.status is RunStatus.RUNNING and self.lease_until <= now

    def taken_over(self, now: datetime) -> ReportRun:
        return replace(self, attempt=self.attempt + 1, lease_until=now + LEASE)

    def finished(self, pdf_key: str, csv_key: str, now: datetime) -> ReportRun:
        return replace(self, status=RunStatus.DONE, finished_at=now, pdf_key=pdf_key, csv_key=csv_key)

    @property
    def label(self) -> str:
        last = self.period_end - timedelta(days=1)
        return f"{self.period_start:%Y-%m-%d} to {last:%Y-%m-%d}"

    def file_key(self, extension: str) -> str:
        """The same for every attempt: a taken-over run rewrites its files, never leaves two."""
        return f"analytics/reports/{self.report_key}/{self.period_start:%Y-%m-%d}.{extension}"
