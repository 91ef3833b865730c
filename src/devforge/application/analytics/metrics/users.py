"""Users: who uses the editor, who is new, who stays, who activates."""

from __future__ import annotations

from devforge.application.analytics.metric_catalogue import Metric
from devforge.application.analytics.metric_shapes import Cohorts, CohortShare, Count
from devforge.domain.analytics.metrics import MetricDefinition, Unit
from devforge.domain.analytics.queries import EDITOR_ACTIVITY_EVENTS, EDITOR_ACTIVITY_SOURCES, Interval, Measure

_ACTIVITY = Count(EDITOR_ACTIVITY_EVENTS, Measure.PEOPLE, sources=EDITOR_ACTIVITY_SOURCES)
"""Editor activity: any event an editor sent, and the license facts an editor causes (an
activation; a validation, which licensing publishes only when it fails)."""
_EDITOR = frozenset({"editor_version", "os", "locale", "country"})
_PEOPLE = (
    "A person is the user when known (the event came with a license key, or the install was identified "
    "with $identify), else the install."
)


def _active(key: str, title: str, interval: Interval, span: str) -> Metric:
    return Metric(
        MetricDefinition(
            key=key,
            version=1,
            title=title,
            definition=(
                f"Distinct people active in the {span} (UTC): they sent any event from the editor, or activated a "
                f"license, or had a license validation fail. {_PEOPLE}"
            ),
            unit=Unit.PEOPLE,
            intervals=frozenset({interval}),
            filters=_EDITOR,
            breakdowns=_EDITOR,
        ),
        _ACTIVITY,
    )


USER_METRICS = (
    _active("users.daily_active", "Daily active users", Interval.DAY, "day"),
    _active("users.weekly_active", "Weekly active users", Interval.WEEK, "week (Monday to Sunday)"),
    _active("users.monthly_active", "Monthly active users", Interval.MONTH, "calendar month"),
    Metric(
        MetricDefinition(
            key="users.new",
            version=1,
            title="New users",
            definition="Accounts registered in the bucket (identity's user_registered fact), by their role at sign-up.",
            unit=Unit.PEOPLE,
            intervals=frozenset(Interval),
            filters=frozenset({"properties.role"}),
            breakdowns=frozenset({"properties.role"}),
        ),
        Count(("signed_up",)),
    ),
    Metric(
        MetricDefinition(
            key="users.retention",
            version=1,
            title="Retention cohorts",
            definition=(
                "Accounts grouped by the bucket they registered in (identity's user_registered fact, the first in the "
                "range): breakdown 'size' is how many registered, breakdown 'k' how many of them used the editor "
                "(any editor event carrying their user id, an activation, a failed validation) k buckets after the "
                "one they registered in, for k from 0 to 8. Installs never identified as the user are not counted."
            ),
            unit=Unit.PEOPLE,
            intervals=frozenset({Interval.DAY, Interval.WEEK, Interval.MONTH}),
        ),
        Cohorts("signed_up", EDITOR_ACTIVITY_EVENTS, EDITOR_ACTIVITY_SOURCES, periods=8),
    ),
    Metric(
        MetricDefinition(
            key="users.activation",
            version=1,
            title="Activation",
            definition=(
                "Of the accounts registered in the bucket (user_registered), the share that activated a license "
                "(licensing's license_activated fact) within the same bucket: the same day, week or month."
            ),
            unit=Unit.RATIO,
            intervals=frozenset({Interval.DAY, Interval.WEEK, Interval.MONTH}),
        ),
        CohortShare(Cohorts("signed_up", ("license_activated",), periods=0)),
    ),
)
