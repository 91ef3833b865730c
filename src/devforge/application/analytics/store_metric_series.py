"""``MetricSeries`` straight from the store's query shapes, for the metrics they can answer (the
counts): downloads and daily active editors. The metric catalogue serves the port instead once
it defines the rest (MRR needs the revenue figures, not a count of events)."""

from __future__ import annotations

from datetime import datetime, timedelta

from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.queries import Filter, Interval, Measure, SeriesQuery

STEP = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1)}
COUNTS: dict[str, tuple[str, Measure, tuple[Filter, ...]]] = {
    "extensions.downloads": ("extension_downloaded", Measure.EVENTS, ()),
    "users.daily_active": ("", Measure.DISTINCT_IDS, (Filter("source", ("client",)),)),
}


class StoreMetricSeries:
    def __init__(self, store: AnalyticsStore) -> None:
        self._store = store

    def knows(self, metric: str) -> bool:
        return metric in COUNTS

    async def values(self, metric: str, start: datetime, end: datetime, interval: Interval) -> list[float]:
        event, measure, filters = COUNTS[metric]
        query = SeriesQuery(start, end, interval, (event,) if event else (), filters, measure=measure)
        counted = {point.bucket: point.value for point in await self._store.series(query)}
        step, values, at = STEP[interval], [], start
        while at < end:
            values.append(float(counted.get(at, 0)))
            at += step
        return values
