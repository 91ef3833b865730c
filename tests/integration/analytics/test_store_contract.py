"""One contract for every analytics store: in memory, chDB, and the ClickHouse adapter over HTTP
(to a fake server answered by chDB: the same engine and SQL as a ClickHouse server)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from devforge.adapters.analytics import clickhouse_sql as sql
from devforge.adapters.analytics.chdb_process import ChdbProcessEngine
from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.event import AnalyticsEvent, Source
from devforge.domain.analytics.exports import ExportFormat
from devforge.domain.analytics.queries import (
    COHORT_SIZE,
    EDITOR_ACTIVITY_EVENTS,
    EDITOR_ACTIVITY_SOURCES,
    CohortQuery,
    Filter,
    Interval,
    Measure,
    SeriesPoint,
    SeriesQuery,
)
from devforge.domain.analytics.revenue_facts import RevenueFact, RevenueFactKind
from tests.integration.analytics.stores import KINDS, analytics_store

DAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="module")
def chdb_child(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChdbProcessEngine]:
    """The embedded profile's engine, one child for the module: a spawn and chDB's import once."""
    engine = ChdbProcessEngine(tmp_path_factory.mktemp("chdb-child"))
    yield engine
    engine.close()


def kinds(*skip: str) -> list[object]:
    """The stores, the child's cases in one xdist group: one worker spawns ``chdb_child`` (and
    imports chDB in it) once, rather than each of ``make test``'s workers that draws one of them."""
    group = pytest.mark.xdist_group("chdb_process")
    return [pytest.param(k, marks=group) if k == "chdb_process" else k for k in KINDS if k not in skip]


@pytest.fixture(params=kinds())
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AnalyticsStore]:
    child = request.getfixturevalue("chdb_child") if request.param == "chdb_process" else None
    async with analytics_store(request.param, tmp_path, child) as built:
        yield built


def event(name: str = "app_started", at: datetime = DAY, who: str = "install-1", **fields: object) -> AnalyticsEvent:
    values: dict[str, object] = {"uuid": uuid4(), "properties": "{}", **fields}
    return AnalyticsEvent(event=name, distinct_id=who, timestamp=at, received_at=at, **values)  # type: ignore[arg-type]


def query(**fields: object) -> SeriesQuery:
    values: dict[str, object] = {"start": DAY - timedelta(days=7), "end": DAY + timedelta(days=40), **fields}
    return SeriesQuery(**values)  # type: ignore[arg-type]


async def test_counts_per_day_of_the_events_asked_for(store: AnalyticsStore) -> None:
    await store.insert(
        [
            event(at=DAY + timedelta(hours=1)),
            event(at=DAY + timedelta(hours=23, minutes=59)),
            event(at=DAY + timedelta(days=1, seconds=1)),
            event("extension_installed", at=DAY),
        ]
    )
    series = await store.series(query(events=("app_started",)))
    assert series == [SeriesPoint(DAY, 2), SeriesPoint(DAY + timedelta(days=1), 1)]
    assert await store.count(query()) == 4


async def test_the_range_includes_its_start_and_excludes_its_end(store: AnalyticsStore) -> None:
    await store.insert([event(at=DAY), event(at=DAY + timedelta(hours=2))])
    assert await store.count(query(start=DAY, end=DAY + timedelta(hours=2))) == 1


async def test_buckets_by_hour_week_and_month(store: AnalyticsStore) -> None:
    await store.insert([event(at=DAY + timedelta(days=2, hours=5, minutes=30)), event(at=DAY + timedelta(days=30))])
    assert [p.bucket for p in await store.series(query(interval=Interval.HOUR))] == [
        DAY + timedelta(days=2, hours=5),
        DAY + timedelta(days=30),
    ]
    assert [p.bucket for p in await store.series(query(interval=Interval.WEEK))] == [DAY, DAY + timedelta(days=28)]
    months = [p.bucket for p in await store.series(query(interval=Interval.MONTH))]
    assert months == [datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)]


async def test_filters_and_breaks_down_by_columns_and_properties(store: AnalyticsStore) -> None:
    await store.insert(
        [
            event(os="linux", properties='{"plan": "pro", "seats": 3}'),
            event(os="linux", properties='{"plan": "free"}'),
            event(os="macos", properties='{"plan": "pro", "seats": 3}'),
            event(os="windows", properties="{}"),
        ]
    )
    pro = Filter("properties.plan", ("pro",))
    assert await store.count(query(filters=(pro,))) == 2
    assert await store.count(query(filters=(pro, Filter("os", ("linux", "windows"))))) == 1
    by_os = await store.series(query(breakdown="os"))
    assert {(p.breakdown, p.value) for p in by_os} == {("linux", 2), ("macos", 1), ("windows", 1)}
    by_seats = await store.series(query(breakdown="properties.seats"))
    assert {(p.breakdown, p.value) for p in by_seats} == {("3", 2), ("", 2)}


async def test_distinct_ids_are_counted_once_per_bucket_and_over_the_range(store: AnalyticsStore) -> None:
    await store.insert([event(who="a"), event(who="a"), event(who="b"), event(who="a", at=DAY + timedelta(days=1))])
    series = await store.series(query(measure=Measure.DISTINCT_IDS))
    assert [p.value for p in series] == [2, 1]
    assert await store.count(query(measure=Measure.DISTINCT_IDS)) == 2


async def test_an_event_stored_again_is_counted_once(store: AnalyticsStore) -> None:
    """The backstop behind the dedup window: the same uuid again (a server fact redelivered)."""
    same = event(properties='{"order": "o-1"}', source=Source.SERVER)
    await store.insert([same])
    await store.insert([same, event()])
    assert await store.count(query()) == 2
    assert await store.stored_rows() == 3  # as written, before the engine merges them


async def test_values_are_kept_as_sent_quotes_and_all(store: AnalyticsStore) -> None:
    tricky = "it's a \\ 'quoted' \" value; DROP TABLE events"
    await store.insert([event(who=tricky, locale="fr-CA", properties='{"k": "it\'s"}')])
    assert await store.count(query(filters=(Filter("distinct_id", (tricky,)), Filter("properties.k", ("it's",))))) == 1


async def test_opt_outs_and_links_are_remembered(store: AnalyticsStore) -> None:
    user = UUID("7d0a6f9e-2f7b-4c55-9a37-0b1b0c3b9b61")
    other = UUID("0b8f1c2e-96a3-4f0e-8d7c-3f5e2a1b4c6d")
    await store.record_opt_outs(["install-2", "install-3"], DAY)
    assert await store.opted_out(["install-1", "install-2"]) == {"install-2"}
    assert await store.opted_out([]) == set()
    assert await store.all_opted_out() == {"install-2", "install-3"}
    assert await store.user_of("install-1") is None
    await store.link([("install-1", user), ("install-4", user)], DAY)
    await store.link([], DAY)
    assert await store.user_of("install-1") == user
    await store.link([("install-1", other)], DAY + timedelta(minutes=1))
    assert await store.user_of("install-1") == other  # the later link wins


async def test_erasing_a_person_removes_their_events_and_links_and_nothing_else(store: AnalyticsStore) -> None:
    """Erasure on request: every event of the person's installs or carrying their user id, the
    links stitching their installs to them; another person's events stay."""
    person = UUID("7d0a6f9e-2f7b-4c55-9a37-0b1b0c3b9b61")
    repeated = event(who="install-1")
    await store.insert([repeated, repeated, event(who="install-1", at=DAY + timedelta(days=3))])
    await store.insert([event(who="install-2", user_id=person), event(who=str(person), source=Source.SERVER)])
    await store.insert([event(who="install-9", properties='{"note": "install-1"}'), event(who="install-10")])
    await store.link([("install-1", person), ("install-10", person)], DAY)
    await store.link([("install-10", UUID(int=5))], DAY + timedelta(minutes=1))  # re-linked: no longer theirs
    assert await store.installs_of([person]) == {"install-1"}
    assert await store.installs_of([]) == set()

    erased = await store.erase(["install-1", str(person)], [person])

    assert erased == 4  # the repeated uuid counted once, as queries count it
    assert await store.count(query()) == 2
    assert await store.count(query(filters=(Filter("distinct_id", ("install-9", "install-10")),))) == 2
    assert await store.user_of("install-1") is None
    assert await store.installs_of([person]) == set()
    assert await store.user_of("install-10") == UUID(int=5)
    assert await store.stored_rows() == 2
    assert await store.erase([], []) == 0


async def test_revenue_facts_are_kept_once_per_uuid_with_every_field(store: AnalyticsStore) -> None:
    order, user = uuid4(), uuid4()
    started = RevenueFact(
        uuid4(),
        RevenueFactKind.STARTED,
        DAY + timedelta(microseconds=1500),
        order,
        user,
        "JPY",
        2**40,
        2**40 - 7,
        "year",
    )
    renewed = RevenueFact(
        uuid4(), RevenueFactKind.RENEWED, DAY + timedelta(days=365), order, user, "JPY", reference="in_'1"
    )
    await store.record_revenue_facts([started, renewed])
    await store.record_revenue_facts([started])  # a redelivery
    kept = sorted(await store.revenue_facts(), key=lambda fact: fact.at)
    assert kept == [dataclasses.replace(started, at=DAY + timedelta(milliseconds=1)), renewed]


ACTIVE = {"events": EDITOR_ACTIVITY_EVENTS, "sources": EDITOR_ACTIVITY_SOURCES, "measure": Measure.PEOPLE}


async def test_active_people_are_counted_once_per_bucket_whichever_way_the_store_reads_them(
    store: AnalyticsStore,
) -> None:
    """Editor activity (any client event, an activation, a failed validation) counted per person:
    the user when known, else the install. Whole UTC days may be read from a daily rollup
    (chDB and ClickHouse): the answers are the same as from the events, erasure included."""
    user = UUID("0c8d9a52-51f6-4d5e-9a3b-3c1f2a9b7e10")
    await store.insert(
        [
            event(who="install-1", os="linux"),
            event("file_opened", who="install-1", at=DAY + timedelta(hours=3), os="linux"),
            event(who="install-2", user_id=user, os="darwin"),
            event(who="install-3", user_id=user, at=DAY + timedelta(hours=1), os="darwin"),  # the same person
            event("license_activated", who=str(user), source=Source.SERVER, at=DAY + timedelta(days=1)),
            event("order_paid", who="buyer", source=Source.SERVER),  # not editor activity
            event(who="install-4", at=DAY + timedelta(days=8), os="win32"),
        ]
    )
    whole_days = {"start": DAY, "end": DAY + timedelta(days=14)}
    assert await store.series(query(**ACTIVE, **whole_days)) == [
        SeriesPoint(DAY, 2),
        SeriesPoint(DAY + timedelta(days=1), 1),
        SeriesPoint(DAY + timedelta(days=8), 1),
    ]
    weekly = await store.series(query(**ACTIVE, **whole_days, interval=Interval.WEEK, breakdown="os"))
    assert weekly == [
        SeriesPoint(DAY, 1, ""),
        SeriesPoint(DAY, 1, "darwin"),
        SeriesPoint(DAY, 1, "linux"),
        SeriesPoint(DAY + timedelta(days=7), 1, "win32"),
    ]
    linux = await store.series(query(**ACTIVE, **whole_days, filters=(Filter("os", ("linux",)),)))
    assert linux == [SeriesPoint(DAY, 1)]
    partial = await store.series(query(**ACTIVE, start=DAY + timedelta(hours=2), end=DAY + timedelta(days=1)))
    assert partial == [SeriesPoint(DAY, 1)]  # read from the events: only install-1's file_opened
    await store.erase(["install-1"], [])
    assert await store.series(query(**ACTIVE, **whole_days)) == [
        SeriesPoint(DAY, 1),
        SeriesPoint(DAY + timedelta(days=1), 1),
        SeriesPoint(DAY + timedelta(days=8), 1),
    ]


async def test_cohorts_count_who_joined_and_who_came_back_each_period(store: AnalyticsStore) -> None:
    ada, bo, cy = UUID(int=1), UUID(int=2), UUID(int=3)
    await store.insert(
        [
            event("signed_up", who=str(ada), user_id=ada, source=Source.SERVER, at=DAY + timedelta(hours=1)),
            event("signed_up", who=str(bo), user_id=bo, source=Source.SERVER, at=DAY + timedelta(days=2)),
            event("signed_up", who=str(cy), user_id=cy, source=Source.SERVER, at=DAY + timedelta(days=8)),
            event(who="install-a", user_id=ada, at=DAY + timedelta(days=1)),  # week 0
            event(who="install-a", user_id=ada, at=DAY + timedelta(days=9)),  # week 1
            event(who="install-a", user_id=ada, at=DAY + timedelta(days=10)),  # week 1 again: once
            event("license_activated", who=str(bo), user_id=bo, source=Source.SERVER, at=DAY + timedelta(days=15)),
            event("order_paid", who=str(cy), user_id=cy, source=Source.SERVER, at=DAY + timedelta(days=9)),
            event(who="install-z", at=DAY + timedelta(days=9)),  # nobody's
        ]
    )
    cohorts = CohortQuery(
        DAY, DAY + timedelta(days=14), Interval.WEEK, "signed_up", EDITOR_ACTIVITY_EVENTS, EDITOR_ACTIVITY_SOURCES, 4
    )
    week = timedelta(days=7)
    assert await store.cohorts(cohorts) == [
        SeriesPoint(DAY, 2, COHORT_SIZE),
        SeriesPoint(DAY, 1, "0"),
        SeriesPoint(DAY, 1, "1"),
        SeriesPoint(DAY, 1, "2"),
        SeriesPoint(DAY + week, 1, COHORT_SIZE),
    ]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


async def test_events_and_series_export_as_csv_with_a_header(store: AnalyticsStore) -> None:
    user = UUID("7d0a6f9e-2f7b-4c55-9a37-0b1b0c3b9b61")
    first = event(at=DAY + timedelta(hours=1, milliseconds=250), properties='{"k": "a, \\"b\\""}', user_id=user)
    await store.insert([first, first, event(at=DAY + timedelta(days=1)), event("other", at=DAY)])
    rows = csv_rows(await store.export_events(DAY, DAY + timedelta(days=7), ["app_started"], ExportFormat.CSV))
    assert len(rows) == 2 and rows[0]["uuid"] == str(first.uuid)  # once each, oldest first
    assert (rows[0]["timestamp"], rows[0]["properties"], rows[0]["user_id"]) == (
        "2026-03-02 01:00:00.250",
        '{"k": "a, \\"b\\""}',
        str(user),
    )
    assert rows[1]["user_id"] == ""
    assert list(rows[0]) == ["uuid", "event", "distinct_id", "timestamp", "received_at", "properties", "source",
                             "editor_version", "os", "locale", "country", "user_id"]  # fmt: skip
    nothing = await store.export_events(DAY + timedelta(days=30), DAY + timedelta(days=31), [], ExportFormat.CSV)
    assert csv_rows(nothing) == []
    series = csv_rows(await store.export_series(query(events=("app_started",)), ExportFormat.CSV))
    assert [(r["bucket"], r["value"]) for r in series] == [("2026-03-02 00:00:00", "1"), ("2026-03-03 00:00:00", "1")]


@pytest.mark.parametrize("store", kinds("memory"), indirect=True)
async def test_the_engine_writes_parquet_itself(store: AnalyticsStore) -> None:
    await store.insert([event(who=f"install-{i}") for i in range(3)])
    events = await store.export_events(DAY, DAY + timedelta(days=1), [], ExportFormat.PARQUET)
    series = await store.export_series(query(), ExportFormat.PARQUET)
    for written in (events, series):
        assert written[:4] == b"PAR1" and written[-4:] == b"PAR1"
    assert b"distinct_id" in events and b"breakdown" in series


async def test_a_downloads_kind_filters_and_breaks_down_like_any_property(store: AnalyticsStore) -> None:
    """``properties.kind`` is a materialized column on the engines: the same answers as any property."""
    await store.insert(
        [
            event("extension_downloaded", properties='{"kind": "install"}'),
            event("extension_downloaded", properties='{"kind": "install", "version": "1.0"}'),
            event("extension_downloaded", properties='{"kind": "update"}'),
            event("extension_downloaded", properties='{"kind": 3}'),
            event("extension_downloaded", properties="{}"),
        ]
    )
    assert await store.count(query(filters=(Filter("properties.kind", ("install",)),))) == 2
    assert await store.count(query(filters=(Filter("properties.kind", ("update", "3")),))) == 2
    by_kind = await store.series(query(breakdown="properties.kind"))
    assert {(p.breakdown, p.value) for p in by_kind} == {("install", 2), ("update", 1), ("3", 1), ("", 1)}


async def test_an_events_table_from_before_the_kind_column_gains_it_and_its_old_rows_answer(tmp_path: Path) -> None:
    engine = ChdbEngine(tmp_path / "chdb")
    try:
        old = sql.schema("contract", 730)[:2]  # the database and the events table, as they were
        column = next(iter(sql.MATERIALIZED_PROPERTIES.values()))
        engine.run(old[0])
        engine.run(old[1].replace(",\n            " + sql.MATERIALIZED_COLUMNS[0], ""))
        assert column not in engine.run("SHOW CREATE TABLE contract.events").decode()
        rows = sql.event_rows([event("extension_downloaded", properties='{"kind": "install"}')])
        engine.run("INSERT INTO contract.events FORMAT JSONEachRow " + rows.decode())
        store = ChdbAnalyticsStore(engine, "contract")
        await store.create_schema()  # every start: adds the column, keeps the rows
        assert column in engine.run("SHOW CREATE TABLE contract.events").decode()
        await store.insert([event("extension_downloaded", properties='{"kind": "install"}')])
        installs = query(filters=(Filter("properties.kind", ("install",)),))
        assert await store.count(installs) == 2
        await store.create_schema()  # and again: nothing changes
        assert await store.count(installs) == 2
    finally:
        engine.close()
