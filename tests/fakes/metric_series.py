"""A ``MetricSeries`` whose figures a test sets: one value per day (or hour) it names, 0 elsewhere."""

from __future__ import annotations

from datetime import datetime, timedelta

from devforge.domain.analytics.queries import Interval

STEP = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1)}


class FakeMetricSeries:
    """Figures set without a scope are the platform's; with one (``currency:EUR``), a currency's."""

    def __init__(self, *metrics: str) -> None:
        self.figures: dict[tuple[str, Interval], dict[datetime, float]] = {}
        self.scoped: dict[tuple[str, str], dict[datetime, float]] = {}
        self._known = set(metrics)
        self.reads = 0

    def set(self, metric: str, interval: Interval, bucket: datetime, value: float, scope: str = "") -> None:
        self._known.add(metric)
        if scope:
            self.scoped.setdefault((metric, scope), {})[bucket] = value
        else:
            self.figures.setdefault((metric, interval), {})[bucket] = value

    def knows(self, metric: str, interval: Interval = Interval.DAY) -> bool:
        return metric in self._known and not any(m == metric for m, _ in self.scoped)

    def forecastable(self, metric: str) -> bool:
        return metric in self._known

    async def scoped_values(
        self, metric: str, start: datetime, end: datetime, interval: Interval
    ) -> dict[str, list[float]]:
        scopes = sorted(scope for m, scope in self.scoped if m == metric)
        if not scopes:
            return {"": await self.values(metric, start, end, interval)}
        self.reads += 1
        step, found = STEP[interval], {}
        for scope in scopes:
            figures, at, values = self.scoped[(metric, scope)], start, []
            while at < end:
                values.append(figures.get(at, 0.0))
                at += step
            found[scope] = values
        return found

    async def values(self, metric: str, start: datetime, end: datetime, interval: Interval) -> list[float]:
        self.reads += 1
        figures, step, at, values = self.figures.get((metric, interval), {}), STEP[interval], start, []
        while at < end:
            values.append(figures.get(at, 0.0))
            at += step
        return values
