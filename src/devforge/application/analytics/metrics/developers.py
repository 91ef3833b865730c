"""Developers: who publishes, what they submit, how review treats it. Per publisher
(``properties.publisher_id``) or per extension, so a developer reads their own."""

from __future__ import annotations

from devforge.application.analytics.metric_catalogue import Metric
from devforge.application.analytics.metric_shapes import Count, Ratio
from devforge.application.analytics.metrics.earnings import EARNINGS
from devforge.application.analytics.metrics.time_to_verdict import TIME_TO_VERDICT, VERDICTS
from devforge.domain.analytics.metrics import EXTENSION_DIMENSION, PUBLISHER_DIMENSION, MetricDefinition, Scope, Unit
from devforge.domain.analytics.queries import Filter, Interval, Measure

_PUBLISHER = frozenset({PUBLISHER_DIMENSION, EXTENSION_DIMENSION})


def _verdicts(*states: str) -> Count:
    return Count(("version_reviewed",), where=(Filter("properties.state", states),))


DEVELOPER_METRICS = (
    Metric(
        MetricDefinition(
            key="developers.active_publishers",
            version=1,
            title="Active publishers",
            definition=(
                "Distinct publishers whose versions got a review decision in the bucket (the marketplace's "
                "version_reviewed fact, any state): publishers at work on the marketplace."
            ),
            unit=Unit.PUBLISHERS,
            intervals=frozenset(Interval),
            filters=_PUBLISHER,
            breakdowns=frozenset(),
            scope=Scope.PUBLISHER,
        ),
        Count(("version_reviewed",), Measure.DISTINCT_IDS),
    ),
    Metric(
        MetricDefinition(
            key="developers.submissions",
            version=1,
            title="Submissions",
            definition=(
                "Versions submitted for review in the bucket: the marketplace's version_uploaded fact of a first "
                "review round (a review run again is not a new submission)."
            ),
            unit=Unit.EVENTS,
            intervals=frozenset(Interval),
            filters=frozenset({EXTENSION_DIMENSION}),
            breakdowns=frozenset({EXTENSION_DIMENSION}),
            scope=Scope.EXTENSION,
        ),
        Count(("version_submitted",), where=(Filter("properties.review_round", ("1",)),)),
    ),
    Metric(
        MetricDefinition(
            key="developers.review_pass_rate",
            version=1,
            title="Review pass rate",
            definition=(
                "Of the final review verdicts in the bucket (approved, rejected, quarantined, changes requested), "
                "the share approved. A crash of the checks (errored) is no verdict."
            ),
            unit=Unit.RATIO,
            intervals=frozenset(Interval),
            filters=_PUBLISHER,
            breakdowns=_PUBLISHER,
            scope=Scope.PUBLISHER,
        ),
        Ratio(_verdicts("approved"), _verdicts(*VERDICTS)),
    ),
    *TIME_TO_VERDICT,
    EARNINGS,
)
