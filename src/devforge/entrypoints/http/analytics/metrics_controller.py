"""``/api/analytics/metrics`` and ``/api/analytics/dashboard``: figures of the metric catalogue.

``analytics:own`` lets a developer in (their own extensions' and publishers' figures);
``analytics:read`` (admins and analysts, with two-factor) widens it to every figure. Customers
hold neither: 403."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import QueryParameter
from msgspec import Meta

from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricRequest, asked_filters
from devforge.application.analytics.list_metric_definitions import ListMetricDefinitions
from devforge.application.analytics.show_dashboard import ShowDashboard
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.entrypoints.http.analytics.metrics_schemas import (
    DashboardResponse,
    MetricDefinitionResponse,
    MetricSeriesResponse,
)
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN

MetricKey = Annotated[
    str,
    QueryParameter(
        name="metric",
        pattern=r"^[a-z][a-z0-9_]{0,31}\.[a-z][a-z0-9_]{0,47}$",
        max_length=81,
        description="A key of the catalogue (`GET /api/analytics/metrics/definitions`)",
    ),
]
From = Annotated[datetime, QueryParameter(name="from", description="ISO 8601 with an offset, included")]
To = Annotated[datetime, QueryParameter(name="to", description="ISO 8601 with an offset, excluded")]
_FILTER_LIST = Schema(
    type=OpenAPIType.ARRAY,
    max_items=10,
    items=Schema(type=OpenAPIType.STRING, max_length=200, pattern=LINE_PATTERN),
)
Filters = Annotated[
    list[Annotated[str, Meta(max_length=200, pattern=LINE_PATTERN)]] | None,
    QueryParameter(
        name="filter",
        max_items=10,
        schema_extra={"one_of": [_FILTER_LIST, Schema(type=OpenAPIType.NULL)]},
        description="`dimension=value`, repeatable: values of one dimension are alternatives; the metric lists "
        "the dimensions it takes (`properties.extension_id=<id>`)",
    ),
]
Breakdown = Annotated[
    str | None,
    QueryParameter(max_length=100, pattern=LINE_PATTERN, description="A dimension the metric is broken down by"),
]
Bucket = Annotated[Interval, QueryParameter(description="The buckets' size (UTC; weeks start on Monday)")]
Version = Annotated[
    int | None, QueryParameter(ge=1, le=10_000, description="A version of the metric (default: newest)")
]
_READ = require(AnalyticsPermission.OWN, override=AnalyticsPermission.READ)


class MetricsController(Controller):
    path = "/api/analytics"
    tags = ["analytics"]
    guards = [_READ]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/metrics",
        summary="A metric over a range",
        description=(
            "The metric's value per bucket of `interval` (UTC) over `from`..`to` (`to` excluded), at most 1,000 "
            "buckets, narrowed by `filter`s and split by one `breakdown` (the 50 largest series; `omittedSeries` "
            "counts the rest). A developer reads their own extensions' and publishers' metrics only: another's "
            "extension, or a business-wide metric, is 404. A query past its 5 s budget is stopped: 422 naming "
            "`range` (narrow it). A range, interval, filter or breakdown the metric does not take is a 422 naming it. "
            "The same series is answered from a cache for up to a minute (`computedAt`)."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def metric(
        self,
        actor: NamedDependency[Actor],
        evaluate: FromDishka[EvaluateMetric],
        key: MetricKey,
        start: From,
        end: To,
        interval: Bucket = Interval.DAY,
        filters: Filters = None,
        breakdown: Breakdown = None,
        version: Version = None,
    ) -> MetricSeriesResponse:
        request = MetricRequest(key, start, end, interval, asked_filters(filters or ()), breakdown, version)
        return MetricSeriesResponse.of(await evaluate(actor, request))

    @get(
        "/metrics/definitions",
        summary="The metric catalogue",
        description=(
            "Every version of every metric the caller may read, with its written definition, unit, intervals, "
            "filters, breakdowns and computation. A changed definition is a new version; old ones stay readable."
        ),
        responses=problems(400, 401, 403, 429),
    )
    async def definitions(
        self, actor: NamedDependency[Actor], handler: FromDishka[ListMetricDefinitions]
    ) -> list[MetricDefinitionResponse]:
        return [MetricDefinitionResponse.of(metric, newest) for metric, newest in await handler(actor)]

    @get(
        "/dashboard",
        summary="The dashboard",
        description=(
            "A tile per metric the caller may read: the business for admins and analysts, a developer's own "
            "extensions and publishers for a developer. Each tile is the newest version over the last 30 days by "
            "day (or 12 weeks by week, 12 months by month). Figures are cached for up to "
            "`DEVFORGE_ANALYTICS_FIGURES_TTL_SECONDS` (60 s): `asOf` says when the oldest was computed."
        ),
        responses=problems(400, 401, 403, 422, 429),
    )
    async def dashboard(self, actor: NamedDependency[Actor], handler: FromDishka[ShowDashboard]) -> DashboardResponse:
        return DashboardResponse.of(await handler(actor))
