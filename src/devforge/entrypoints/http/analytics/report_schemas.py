"""Bodies of ``/api/analytics/reports``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.analytics.list_reports import ReportView
from devforge.application.analytics.report_downloads import FileLink
from devforge.domain.analytics.reports import ReportRun
from devforge.entrypoints.http.schemas import CamelStruct


class ReportFigureResponse(CamelStruct):
    metric: Annotated[str, Meta(examples=["extensions.downloads"])]
    title: str
    chart: Literal["bar", "line"]


class ReportRunResponse(CamelStruct):
    id: UUID
    period_start: datetime
    period_end: Annotated[datetime, Meta(description="Excluded")]
    status: Literal["running", "done"]
    finished_at: datetime | None

    @classmethod
    def of(cls, run: ReportRun) -> ReportRunResponse:
        return cls(run.id, run.period_start, run.period_end, run.status.value, run.finished_at)


class ReportResponse(CamelStruct):
    key: Annotated[str, Meta(examples=["platform-weekly"])]
    title: str
    cadence: Literal["weekly", "monthly"]
    interval: Literal["hour", "day", "week", "month"]
    figures: list[ReportFigureResponse]
    subscribed: Annotated[bool, Meta(description="Whether its runs are mailed to the caller")]
    runs: Annotated[list[ReportRunResponse], Meta(description="Newest period first")]

    @classmethod
    def of(cls, view: ReportView) -> ReportResponse:
        definition = view.definition
        return cls(
            definition.key,
            definition.title,
            definition.cadence.value,
            definition.interval.value,
            [ReportFigureResponse(f.metric, f.title, f.chart) for f in definition.figures],  # type: ignore[arg-type]
            view.subscribed,
            [ReportRunResponse.of(run) for run in view.runs],
        )


class SubscriptionResponse(CamelStruct):
    report_key: str
    subscribed: bool


class FileLinkResponse(CamelStruct):
    url: Annotated[str, Meta(description="Signed: anyone holding it can download the file until it expires")]
    expires_at: datetime
    filename: Annotated[str, Meta(examples=["platform-weekly-2026-11-30.pdf"])]

    @classmethod
    def of(cls, link: FileLink) -> FileLinkResponse:
        return cls(link.url, link.expires_at, link.filename)
