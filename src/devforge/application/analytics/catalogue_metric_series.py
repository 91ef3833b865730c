"""``MetricSeries`` from the metric catalogue: forecasts and alerts read the same figures, under
the same written definitions, as ``GET /api/analytics/metrics``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from devforge.application.analytics.metric_catalogue import MetricCatalogue, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.forecasting import currency_scope
from devforge.domain.analytics.metrics import CURRENCY_DIMENSION, Unit
from devforge.domain.analytics.queries import Interval

STEP = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1)}


class CatalogueMetricSeries:
    """The platform's figure: the metric's newest version, unfiltered, its series added up when
    it has several (a breakdown it always carries). Money is left out of ``values`` (alerts): it
    is always per currency and no exchange rate is guessed; ``scoped_values`` (forecasts) reads it
    per currency (``revenue.mrr`` by the day, from its version 2)."""

    def __init__(self, catalogue: MetricCatalogue, store: AnalyticsStore) -> None:
        self._catalogue, self._store = catalogue, store

    def knows(self, metric: str, interval: Interval = Interval.DAY) -> bool:
        found = self._catalogue.get(metric)
        if found is None or interval not in STEP:
            return False
        definition = found.definition
        return definition.unit is not Unit.MINOR_UNITS and interval in definition.intervals

    def forecastable(self, metric: str) -> bool:
        found = self._catalogue.get(metric)
        if found is None or Interval.DAY not in found.definition.intervals:
            return False
        return found.definition.unit is not Unit.MINOR_UNITS or CURRENCY_DIMENSION in found.definition.breakdowns

    async def values(self, metric: str, start: datetime, end: datetime, interval: Interval) -> list[float]:
        totals = await self._totals(metric, start, end, interval, per_currency=False)
        return _filled(totals.get("", {}), start, end, interval)

    async def scoped_values(
        self, metric: str, start: datetime, end: datetime, interval: Interval
    ) -> dict[str, list[float]]:
        found = self._catalogue.get(metric)
        per_currency = found is not None and found.definition.unit is Unit.MINOR_UNITS
        totals = await self._totals(metric, start, end, interval, per_currency=per_currency)
        if not per_currency:
            return {"": _filled(totals.get("", {}), start, end, interval)}
        return {currency_scope(code): _filled(totals[code], start, end, interval) for code in sorted(totals)}

    async def _totals(
        self, metric: str, start: datetime, end: datetime, interval: Interval, *, per_currency: bool
    ) -> dict[str, dict[datetime, float]]:
        """Each bucket's figure, per currency (the point's breakdown) or added up under ""."""
        found = self._catalogue.get(metric)
        if found is None:
            raise KeyError(metric)
        totals: dict[str, dict[datetime, float]] = defaultdict(lambda: defaultdict(float))
        for point in await found.computation(self._store, MetricWindow(start, end, interval)):
            totals[point.breakdown if per_currency else ""][point.bucket] += point.value
        return totals


def _filled(totals: dict[datetime, float], start: datetime, end: datetime, interval: Interval) -> list[float]:
    """One value per bucket from ``start`` to ``end``, 0 where nothing was counted."""
    step, values, at = STEP[interval], [], start
    while at < end:
        values.append(float(totals.get(at, 0)))
        at += step
    return values
