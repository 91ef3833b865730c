"""``ReportFigures`` from the metric catalogue: a figure whose metric the catalogue has is read
through its one entry point (``EvaluateMetric``), for the platform as a whole (``analytics:read``),
per the report's interval over its period; its total is the sum of the buckets when the metric is
a count of events (additive), else the catalogue's figure for the whole period when it is read by
the report's cadence (a week, a month). A figure whose metric the catalogue does not have yet is
counted by the store's own query shapes (``StoreReportFigures``), and so is one the catalogue
does not read by the report's interval."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricRequest
from devforge.application.analytics.metric_catalogue import MetricCatalogue
from devforge.application.analytics.store_report_figures import StoreReportFigures, buckets
from devforge.application.common.actor import Actor
from devforge.domain.analytics.metrics import Unit
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.domain.analytics.report_document import Figure
from devforge.domain.analytics.reports import Cadence, FigureSpec, ReportDefinition

PLATFORM = Actor.holding(UUID(int=0), AnalyticsPermission.READ)
"""The reports are the platform's figures, made by the worker for every subscriber alike."""
_CADENCE_INTERVAL = {Cadence.WEEKLY: Interval.WEEK, Cadence.MONTHLY: Interval.MONTH}


class CatalogueReportFigures:
    def __init__(self, catalogue: MetricCatalogue, evaluate: EvaluateMetric, fallback: StoreReportFigures) -> None:
        self._catalogue, self._evaluate, self._fallback = catalogue, evaluate, fallback

    async def figures(self, definition: ReportDefinition, start: datetime, end: datetime) -> list[Figure]:
        found = []
        for spec in definition.figures:
            metric = self._catalogue.get(spec.metric)
            if metric is None or definition.interval not in metric.definition.intervals:
                found.extend(await self._fallback.figures(_only(definition, spec), start, end))
            else:
                found.append(await self._from_catalogue(definition, spec, start, end))
        return found

    async def _from_catalogue(
        self, definition: ReportDefinition, spec: FigureSpec, start: datetime, end: datetime
    ) -> Figure:
        series = await self._evaluate(PLATFORM, MetricRequest(spec.metric, start, end, definition.interval))
        summed: dict[datetime, float] = defaultdict(float)
        for point in series.points:
            summed[point.bucket] += float(point.value)
        points = tuple((at, summed.get(at, 0.0)) for at in buckets(start, end, definition.interval))
        total = sum(value for _, value in points)
        whole = _CADENCE_INTERVAL[definition.cadence]
        if series.definition.unit is not Unit.EVENTS and whole in series.definition.intervals:
            over = await self._evaluate(PLATFORM, MetricRequest(spec.metric, start, end, whole))
            total = sum(float(point.value) for point in over.points)
        return Figure(spec, points, total)


def _only(definition: ReportDefinition, spec: FigureSpec) -> ReportDefinition:
    return ReportDefinition(definition.key, definition.title, definition.cadence, definition.interval, (spec,))
