"""The usual ways a metric is computed over the store (``Computation``s): counting events or
people, a ratio of two counts, an average of a property, cohorts and a cohort's share. Each says
what it computes in ``shape``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from devforge.application.analytics.metric_catalogue import MetricPoint, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.queries import COHORT_SIZE, CohortQuery, Filter, Measure, SeriesPoint, SeriesQuery

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


@dataclass(frozen=True, slots=True)
class Cohorts:
    """Users grouped by the bucket they did ``joined`` in: each group's size (breakdown
    ``size``) and how many came back (did any of ``returned`` or anything from
    ``returned_sources``) 0..``periods`` buckets later (breakdown "0".."n")."""

    joined: str
    returned: tuple[str, ...]
    returned_sources: tuple[str, ...] = ()
    periods: int = 8

    @property
    def shape(self) -> str:
        back = " or ".join([*self.returned, *(f"any {s} event" for s in self.returned_sources)])
        return f"users by their first {self.joined}; of each cohort, those with {back} 0..{self.periods} buckets later"

    def query(self, window: MetricWindow) -> CohortQuery:
        return CohortQuery(
            window.start,
            window.end,
            window.interval,
            self.joined,
            self.returned,
            self.returned_sources,
            self.periods,
            window.budget_seconds,
        )

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        return [MetricPoint(p.bucket, p.value, p.breakdown) for p in await store.cohorts(self.query(window))]


@dataclass(frozen=True, slots=True)
class CohortShare:
    """Of each cohort, the share that did ``returned`` within the bucket they joined in."""

    cohorts: Cohorts

    @property
    def shape(self) -> str:
        return f"share of each cohort ({self.cohorts.shape}) back in period 0"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        found = {(p.bucket, p.breakdown): p.value for p in await store.cohorts(self.cohorts.query(window))}
        sizes = sorted((bucket, size) for (bucket, split), size in found.items() if split == COHORT_SIZE)
        return [MetricPoint(bucket, found.get((bucket, "0"), 0) / size) for bucket, size in sizes if size]
