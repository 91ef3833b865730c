"""How long from one fact to another of the same thing (a version's submission to its verdict),
and a quantile of those durations per bucket: the shape the time-to-verdict metrics ask the
store. Quantiles are by nearest rank, so every engine answers the same whole seconds: of ``n``
durations sorted, the one at rank ``ceil(percent * n / 100)`` (the median of 1, 2, 3, 4 is 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devforge.domain.analytics.queries import Filter, Interval, valid_dimension


@dataclass(frozen=True, slots=True)
class DurationQuery:
    """Per thing (the value of the property ``key``): its first ``began`` event (any time before
    ``end``) and its first ``ended`` event narrowed by ``ended_filters`` (before ``end``). Things
    whose first ``ended`` falls in ``start <= t < end``, at or after their beginning, are each one
    duration in whole seconds (floored), bucketed by that ``ended`` event per ``interval`` and
    split by ``breakdown`` (the ``ended`` event's); each bucket answers the ``percent``-th
    percentile. A thing without a beginning (before the store's retention) is left out."""

    start: datetime
    end: datetime
    interval: Interval
    began: str
    ended: str
    key: str
    percent: int
    ended_filters: tuple[Filter, ...] = ()
    breakdown: str | None = None
    budget_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start or not 0 < self.percent <= 100:
            raise ValueError("durations over a range, at a percentile from 1 to 100")
        for dimension in (self.key, *([self.breakdown] if self.breakdown else [])):
            if not valid_dimension(dimension):
                raise ValueError(f"cannot key or break down durations by {dimension!r}")


def nearest_rank(durations: list[int], percent: int) -> int:
    """The ``percent``-th percentile of ``durations`` (not empty) by nearest rank."""
    ordered = sorted(durations)
    return ordered[max(1, (percent * len(ordered) + 99) // 100) - 1]
