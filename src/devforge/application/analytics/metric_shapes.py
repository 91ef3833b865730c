"""The usual ways a metric is computed over the store (``Computation``s): counting events or
people, a ratio of two counts, an average of a property. Each says what it computes in ``shape``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from devforge.application.analytics.metric_catalogue import MetricPoint, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.queries import Filter, Measure, SeriesPoint, SeriesQuery

_MEASURES = {
    Measure.EVENTS: "count of",
    Measure.DISTINCT_IDS: "distinct ids of",
    Measure.PEOPLE: "distinct people of",
}


@dataclass(frozen=True, slots=True)
class Count:
    """Events named ``events`` (or any from ``sources``), narrowed by ``where``, counted by
    ``measure``: events, distinct ids, people, or the sum of the integer property ``summed``."""

    events: tuple[str, ...]
    measure: Measure = Measure.EVENTS
    where: tuple[Filter, ...] = ()
    sources: tuple[str, ...] = ()
    summed: str | None = None

    @property
    def shape(self) -> str:
        what = {**_MEASURES, Measure.SUM: f"sum of {self.summed} over"}[self.measure]
        named = " or ".join(
            [f"events named {', '.join(self.events)}"] * bool(self.events) + [f"any {s} event" for s in self.sources]
        )
        narrowed = "".join(f" where {each.dimension} in ({', '.join(each.values)})" for each in self.where)
        return f"{what} {named}{narrowed}"

    def query(self, window: MetricWindow) -> SeriesQuery:
        return SeriesQuery(
            start=window.start,
            end=window.end,
            interval=window.interval,
            events=self.events,
            filters=(*self.where, *window.filters),
            breakdown=window.breakdown,
            measure=self.measure,
            sources=self.sources,
            summed=self.summed,
            budget_seconds=window.budget_seconds,
        )

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        return [MetricPoint(p.bucket, p.value, p.breakdown) for p in await store.series(self.query(window))]


@dataclass(frozen=True, slots=True)
class Ratio:
    """``numerator / denominator`` per bucket (and breakdown); a bucket whose denominator is 0 is absent."""

    numerator: Count
    denominator: Count

    @property
    def shape(self) -> str:
        return f"({self.numerator.shape}) / ({self.denominator.shape})"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        tops = _by_bucket(await store.series(self.numerator.query(window)))
        bottoms = _by_bucket(await store.series(self.denominator.query(window)))
        return [
            MetricPoint(bucket, tops.get((bucket, split), 0) / bottom, split)
            for (bucket, split), bottom in sorted(bottoms.items())
            if bottom
        ]


def _by_bucket(points: list[SeriesPoint]) -> dict[tuple[datetime, str], int]:
    found: dict[tuple[datetime, str], int] = defaultdict(int)
    for point in points:
        found[point.bucket, point.breakdown] += point.value
    return found


def average(events: tuple[str, ...], value: str, *, where: tuple[Filter, ...] = ()) -> Ratio:
    """The mean of the integer property ``value`` over the events (a ratio of its sum to their count)."""
    return Ratio(Count(events, Measure.SUM, where, summed=value), Count(events, where=where))
