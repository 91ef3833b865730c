"""Time to verdict: how long the marketplace's review took, from a version's submission (the
``version_submitted`` fact, its first) to its verdict (``version_reviewed`` in a final state, its
first), as the median and the 90th percentile of each bucket. Per publisher or extension, so a
developer reads their own."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.analytics.metric_catalogue import Metric, MetricPoint, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.durations import DurationQuery
from devforge.domain.analytics.metrics import EXTENSION_DIMENSION, PUBLISHER_DIMENSION, MetricDefinition, Scope, Unit
from devforge.domain.analytics.queries import Filter, Interval

VERDICTS = ("approved", "rejected", "quarantined", "changes_requested")
"""A review's final words on a version: published, refused by the pipeline or a reviewer, or sent back."""
_DIMENSIONS = frozenset({PUBLISHER_DIMENSION, EXTENSION_DIMENSION})


@dataclass(frozen=True, slots=True)
class TimeToVerdict:
    """The ``percent``-th percentile (nearest rank) of the seconds from each version's first
    submission to its first verdict, bucketed by the verdict; the window's filters narrow the verdicts."""

    percent: int

    @property
    def shape(self) -> str:
        return (
            f"percentile {self.percent} (nearest rank) of whole seconds from each properties.version_id's first "
            f"version_submitted to its first version_reviewed where properties.state in ({', '.join(VERDICTS)})"
        )

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        query = DurationQuery(
            window.start,
            window.end,
            window.interval,
            began="version_submitted",
            ended="version_reviewed",
            key="properties.version_id",
            percent=self.percent,
            ended_filters=(Filter("properties.state", VERDICTS), *window.filters),
            breakdown=window.breakdown,
            budget_seconds=window.budget_seconds,
        )
        return [MetricPoint(p.bucket, p.value, p.breakdown) for p in await store.durations(query)]


_WHAT = (
    "of the time from a version's submission for review (the marketplace's version_submitted fact, the first "
    "of the version: a review run again does not restart it) to its verdict (version_reviewed approved, "
    "rejected, quarantined or changes requested, the first of the version; a crash of the checks is no "
    "verdict), in whole seconds, over the versions whose verdict fell in the bucket (by nearest rank: of n "
    "durations sorted, the one at rank ceil({p} x n)). Versions submitted before the analytics events' "
    "retention are left out."
)


def _metric(key: str, title: str, percent: int, which: str) -> Metric:
    return Metric(
        MetricDefinition(
            key=key,
            version=1,
            title=title,
            definition=f"{which} {_WHAT.format(p=f'{percent / 100:g}')}",
            unit=Unit.SECONDS,
            intervals=frozenset(Interval),
            filters=_DIMENSIONS,
            breakdowns=_DIMENSIONS,
            scope=Scope.PUBLISHER,
        ),
        TimeToVerdict(percent),
    )


TIME_TO_VERDICT = (
    _metric("developers.time_to_verdict", "Time to verdict (median)", 50, "The median"),
    _metric("developers.time_to_verdict_p90", "Time to verdict (90th percentile)", 90, "The 90th percentile"),
)
