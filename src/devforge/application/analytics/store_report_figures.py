"""``ReportFigures`` from the store's own query shapes (``domain/analytics/queries.py``): each
figure's events counted per bucket, and over the period. What serves reports until the metric
catalogue does (bootstrap chooses)."""

from __future__ import annotations

from datetime import datetime, timedelta

from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.queries import Interval, SeriesQuery, bucket_of
from devforge.domain.analytics.report_document import Figure
from devforge.domain.analytics.reports import ReportDefinition


def buckets(start: datetime, end: datetime, interval: Interval) -> list[datetime]:
    """Every bucket starting in ``[start, end)``."""
    found, at = [], bucket_of(start, interval)
    while at < end:
        found.append(at)
        step = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1), Interval.WEEK: timedelta(days=7)}
        at = bucket_of(at + step.get(interval, timedelta(days=32)), interval)
    return found


class StoreReportFigures:
    def __init__(self, store: AnalyticsStore) -> None:
        self._store = store

    async def figures(self, definition: ReportDefinition, start: datetime, end: datetime) -> list[Figure]:
        found = []
        for spec in definition.figures:
            query = SeriesQuery(start, end, definition.interval, spec.events, measure=spec.measure)
            counted = {point.bucket: point.value for point in await self._store.series(query)}
            points = tuple((at, float(counted.get(at, 0))) for at in buckets(start, end, definition.interval))
            found.append(Figure(spec, points, float(await self._store.count(query))))
        return found
