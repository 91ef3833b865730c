"""Answers of the metric routes: a series, the catalogue's definitions, the dashboard's tiles."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta

from devforge.application.analytics.evaluate_metric import MetricSeries
from devforge.application.analytics.metric_catalogue import Metric
from devforge.application.analytics.show_dashboard import Dashboard
from devforge.entrypoints.http.schemas import CamelStruct


class MetricPointResponse(CamelStruct):
    bucket: Annotated[datetime, Meta(description="The bucket's start, UTC")]
    value: Annotated[int | float, Meta(description="An integer for counts and money, a number for ratios and means")]
    breakdown: Annotated[str, Meta(description="The breakdown's value (empty without one)")] = ""


class MetricSeriesResponse(CamelStruct):
    metric: str
    version: int
    title: str
    unit: str
    interval: str
    start: datetime
    end: datetime
    points: list[MetricPointResponse]
    omitted_series: Annotated[int, Meta(description="Series of the breakdown left out (the largest are kept)")] = 0
    computed_at: Annotated[
        datetime | None,
        Meta(description="When the store computed these figures (served from a cache for up to a minute); null: none"),
    ] = None

    @classmethod
    def of(cls, series: MetricSeries) -> MetricSeriesResponse:
        d = series.definition
        return cls(
            metric=d.key,
            version=d.version,
            title=d.title,
            unit=d.unit.value,
            interval=series.interval.value,
            start=series.start,
            end=series.end,
            points=[MetricPointResponse(p.bucket, p.value, p.breakdown) for p in series.points],
            omitted_series=series.omitted_series,
            computed_at=series.computed_at,
        )


class MetricDefinitionResponse(CamelStruct):
    key: Annotated[str, Meta(examples=["extensions.downloads"])]
    version: int
    newest: Annotated[bool, Meta(description="The version read when none is named")]
    title: str
    definition: Annotated[str, Meta(description="What is counted, from which events, in which buckets")]
    unit: str
    scope: Annotated[str, Meta(description="platform, extension or publisher: whose figure it is")]
    intervals: list[str]
    filters: list[str]
    breakdowns: list[str]
    computation: Annotated[str, Meta(description="The computation over the analytics store, in words")]

    @classmethod
    def of(cls, metric: Metric, newest: bool) -> MetricDefinitionResponse:
        d = metric.definition
        return cls(
            key=d.key,
            version=d.version,
            newest=newest,
            title=d.title,
            definition=d.definition,
            unit=d.unit.value,
            scope=d.scope.value,
            intervals=sorted(d.intervals),
            filters=sorted(d.filters),
            breakdowns=sorted(d.breakdowns),
            computation=metric.computation.shape,
        )


class DashboardResponse(CamelStruct):
    tiles: Annotated[list[MetricSeriesResponse], Meta(description="One per metric the caller may read")]
    as_of: Annotated[datetime, Meta(description="When the oldest tile's figures were computed")]
    max_age_seconds: Annotated[float, Meta(description="How old a tile's figures may be (they are cached)")]

    @classmethod
    def of(cls, dashboard: Dashboard) -> DashboardResponse:
        tiles = [MetricSeriesResponse.of(series) for series in dashboard.tiles]
        return cls(tiles, dashboard.as_of, dashboard.max_age_seconds)
