"""The store contract for ``durations`` (time to verdict): each thing's first beginning to its
first end narrowed by the filters, whole seconds, the nearest-rank percentile per bucket; on
memory, chDB and the ClickHouse adapter, the same seconds."""

from __future__ import annotations

import json
from datetime import timedelta

from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.durations import DurationQuery
from devforge.domain.analytics.event import AnalyticsEvent, Source
from devforge.domain.analytics.queries import Filter, Interval, SeriesPoint
from tests.integration.analytics.test_store_contract import DAY, chdb_child, event, store

__all__ = ["chdb_child", "store"]  # the contract's fixtures: one chDB child for the module, each store kind
VERDICTS = Filter("properties.state", ("approved", "rejected"))


def fact(name: str, version: str, after: timedelta, state: str = "", publisher: str = "p1") -> AnalyticsEvent:
    said = {"version_id": version} | ({"state": state, "publisher_id": publisher} if state else {})
    return event(name, DAY + after, f"v:{version}", properties=json.dumps(said), source=Source.SERVER)


def submitted(version: str, after: timedelta) -> AnalyticsEvent:
    return fact("version_submitted", version, after)


def reviewed(version: str, after: timedelta, state: str = "approved", publisher: str = "p1") -> AnalyticsEvent:
    return fact("version_reviewed", version, after, state, publisher)


def asked(percent: int, **more: object) -> DurationQuery:
    fields: dict[str, object] = {
        "start": DAY,
        "end": DAY + timedelta(days=3),
        "interval": Interval.DAY,
        "began": "version_submitted",
        "ended": "version_reviewed",
        "key": "properties.version_id",
        "percent": percent,
        "ended_filters": (VERDICTS,),
        **more,
    }
    return DurationQuery(**fields)  # type: ignore[arg-type]


async def test_time_from_the_first_submission_to_the_first_verdict_per_day(store: AnalyticsStore) -> None:
    hour = timedelta(hours=1)
    await store.insert(
        [
            submitted("a", timedelta()),
            submitted("a", hour),  # a review run again: the first submission counts
            reviewed("a", timedelta(seconds=9000.9)),  # 9000 s (milliseconds floored)
            reviewed("a", 5 * hour),  # a later verdict of the same version: not a second duration
            submitted("b", -timedelta(days=2)),
            reviewed("b", hour, "rejected"),  # 176,400 s
            submitted("c", 3 * hour),
            reviewed("c", 4 * hour, "errored", "p2"),  # no verdict
            reviewed("c", 6 * hour, "approved", "p2"),  # 10,800 s
            reviewed("d", 2 * hour),  # never seen submitted (before the retention): left out
            submitted("e", timedelta()),
            reviewed("e", timedelta(days=1, hours=2)),  # 93,600 s, the next day
            submitted("f", -timedelta(days=3)),
            reviewed("f", -timedelta(days=1)),  # its first verdict before the range
            reviewed("f", 2 * hour),
            submitted("g", timedelta(days=4)),
            reviewed("g", timedelta(days=4, hours=1)),  # after the range
        ]
    )
    day = timedelta(days=1)
    assert await store.durations(asked(50)) == [SeriesPoint(DAY, 10_800), SeriesPoint(DAY + day, 93_600)]
    assert await store.durations(asked(90)) == [SeriesPoint(DAY, 176_400), SeriesPoint(DAY + day, 93_600)]
    by_publisher = asked(50, breakdown="properties.publisher_id", end=DAY + day)
    assert await store.durations(by_publisher) == [SeriesPoint(DAY, 9000, "p1"), SeriesPoint(DAY, 10_800, "p2")]
    theirs = asked(90, ended_filters=(VERDICTS, Filter("properties.publisher_id", ("p2",))))
    assert await store.durations(theirs) == [SeriesPoint(DAY, 10_800)]
    weeks = asked(50, interval=Interval.WEEK)
    assert await store.durations(weeks) == [SeriesPoint(DAY, 10_800)]  # 9000, 10,800, 93,600, 176,400: rank 2
