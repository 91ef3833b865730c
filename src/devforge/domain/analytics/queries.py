"""The shapes of questions the store answers: counts per interval with filters and a breakdown,
of events or of distinct ids. The metric catalogue is built from these."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

COLUMNS = frozenset({"event", "distinct_id", "source", "editor_version", "os", "locale", "country"})
"""What a filter or a breakdown may name besides a property (``properties.<key>``)."""
_PROPERTY = re.compile(r"^properties\.[A-Za-z0-9_$][A-Za-z0-9_$:-]{0,63}$")


EDITOR_ACTIVITY_EVENTS = ("license_activated", "license_validation_failed")
EDITOR_ACTIVITY_SOURCES = ("client",)
"""What counts as using the editor (the active-users metrics): any event an editor sent, and the
license facts an editor causes. The analytics store may keep a daily rollup of exactly this."""


class Interval(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    """Weeks start on Monday."""
    MONTH = "month"


class Measure(StrEnum):
    EVENTS = "events"
    DISTINCT_IDS = "distinct_ids"
    PEOPLE = "people"
    """Distinct people: the user when the event carries one, else the distinct id (the install)."""
    SUM = "sum"
    """The sum of an integer property (``SeriesQuery.summed``); a missing or non-integer value counts 0."""


def valid_dimension(name: str) -> bool:
    """A column, or ``properties.<key>`` (top level: letters, digits, ``_$:-``): never free text in SQL."""
    return name in COLUMNS or bool(_PROPERTY.match(name))


@dataclass(frozen=True, slots=True)
class Filter:
    """``dimension`` equals one of ``values``."""

    dimension: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        if not valid_dimension(self.dimension):
            raise ValueError(f"cannot filter on {self.dimension!r}")


@dataclass(frozen=True, slots=True)
class SeriesQuery:
    """Events named ``events`` (all when empty and no ``sources``; with ``sources``, also any
    event from those sources) with ``start <= timestamp < end``, counted per ``interval``
    (buckets in UTC), split by ``breakdown`` when given. ``budget_seconds``: the engine stops a
    query that runs longer (``QueryOverBudget``)."""

    start: datetime
    end: datetime
    interval: Interval = Interval.DAY
    events: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    breakdown: str | None = None
    measure: Measure = Measure.EVENTS
    sources: tuple[str, ...] = ()
    summed: str | None = None
    budget_seconds: float | None = None

    def __post_init__(self) -> None:
        if (self.measure is Measure.SUM) != (self.summed is not None):
            raise ValueError("a sum names the property it sums, and only a sum does")
        if self.summed is not None and not _PROPERTY.match(self.summed):
            raise ValueError(f"cannot sum {self.summed!r}")
        if self.breakdown is not None and not valid_dimension(self.breakdown):
            raise ValueError(f"cannot break down by {self.breakdown!r}")
        if self.end <= self.start:
            raise ValueError("a query's end comes after its start")


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One bucket's count (``breakdown`` is "" without a breakdown, and for events without the value)."""

    bucket: datetime
    value: int
    breakdown: str = ""


def bucket_of(at: datetime, interval: Interval) -> datetime:
    """The start of the bucket ``at`` falls in (``at`` in UTC)."""
    hour = at.replace(minute=0, second=0, microsecond=0)
    if interval is Interval.HOUR:
        return hour
    day = hour.replace(hour=0)
    if interval is Interval.DAY:
        return day
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


@dataclass(frozen=True, slots=True)
class CohortQuery:
    """Users who did ``joined`` (their first time in ``start <= t < end``), grouped by the
    ``interval`` bucket they joined in; and of each group, how many did any of ``returned`` (or
    anything from ``returned_sources``) ``k`` buckets after their own, for ``k`` in
    ``0..periods``. A user is a ``user_id``: events without one are not in cohorts."""

    start: datetime
    end: datetime
    interval: Interval
    joined: str
    returned: tuple[str, ...]
    returned_sources: tuple[str, ...] = ()
    periods: int = 8
    budget_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start or not 0 <= self.periods <= 52 or self.interval is Interval.HOUR:
            raise ValueError("cohorts by day, week or month, over a range, for 0 to 52 periods")


COHORT_SIZE = "size"
"""The breakdown of a cohort answer's point that counts the cohort itself; the others are "0".."n"."""


def cohort_order(point: SeriesPoint) -> tuple[datetime, int]:
    """Cohorts by bucket, each its size first, then its periods in order."""
    return point.bucket, -1 if point.breakdown == COHORT_SIZE else int(point.breakdown)


def periods_between(joined: datetime, later: datetime, interval: Interval) -> int:
    """Whole buckets from ``joined``'s bucket to ``later``'s (both bucket starts)."""
    if interval is Interval.MONTH:
        return (later.year - joined.year) * 12 + later.month - joined.month
    return (later - joined).days // (7 if interval is Interval.WEEK else 1)
