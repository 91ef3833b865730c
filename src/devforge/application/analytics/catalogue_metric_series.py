"""``MetricSeries`` from the metric catalogue: forecasts and alerts read the same figures, under
the same written definitions, as ``GET /api/analytics/metrics``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from devforge.application.analytics.metric_catalogue import MetricCatalogue, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.metrics import Unit
from devforge.domain.analytics.queries import Interval

STEP = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1)}


class CatalogueMetricSeries:
    """The platform's figure: the metric's newest version, unfiltered, its series added up when
    it has several (a breakdown it always carries). Money is left out: it is always per currency
    and no exchange rate is guessed, and the catalogue's revenue figures are monthly (so MRR is
    not forecast by the day yet)."""

    def __init__(self, catalogue: MetricCatalogue, store: AnalyticsStore) -> None:
        self._catalogue, self._store = catalogue, store

    def knows(self, metric: str, interval: Interval = Interval.DAY) -> bool:
        found = self._catalogue.get(metric)
        if found is None or interval not in STEP:
            return False
        definition = found.definition
        return definition.unit is not Unit.MINOR_UNITS and interval in definition.intervals

    async def values(self, metric: str, start: datetime, end: datetime, interval: Interval) -> list[float]:
        found = self._catalogue.get(metric)
        if found is None:
            raise KeyError(metric)
        totals: dict[datetime, float] = defaultdict(float)
        for point in await found.computation(self._store, MetricWindow(start, end, interval)):
            totals[point.bucket] += point.value
        step, values, at = STEP[interval], [], start
        while at < end:
            values.append(float(totals.get(at, 0)))
            at += step
        return values
