"""The analytics store and the dedup claims in memory, for unit tests and the in-memory container."""

from __future__ import annotations

import csv
import dataclasses
import io
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.analytics.durations import DurationQuery, nearest_rank
from devforge.domain.analytics.erasure import Erasure
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.exports import Export, ExportFormat, ExportStatus
from devforge.domain.analytics.ingestion_key import IngestionKey
from devforge.domain.analytics.live import LiveFigures, LiveTally, active_minutes, window_seconds
from devforge.domain.analytics.queries import (
    COHORT_SIZE,
    CohortQuery,
    Measure,
    SeriesPoint,
    SeriesQuery,
    bucket_of,
    cohort_order,
    periods_between,
)
from devforge.domain.analytics.reports import ReportRun, RunStatus
from devforge.domain.analytics.revenue_facts import RevenueFact

_PROPERTIES = msgspec.json.Decoder(dict[str, msgspec.Raw])


def _dimension(event: AnalyticsEvent, name: str) -> str:
    """As ``clickhouse_sql.dimension``: a string property as itself, any other as its JSON text."""
    if not name.startswith("properties."):
        return str(getattr(event, name))
    raw = _PROPERTIES.decode(event.properties).get(name.removeprefix("properties."))
    if raw is None:
        return ""
    text = bytes(raw)
    return str(msgspec.json.decode(text)) if text.startswith(b'"') else text.decode()


def _moment(at: datetime) -> str:
    """As ClickHouse writes a ``DateTime64(3, 'UTC')`` in CSV."""
    return f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d}"


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


class InMemoryAnalyticsStore:
    def __init__(self) -> None:
        self.events: dict[tuple[object, ...], AnalyticsEvent] = {}
        self.rows = 0
        self._copies: dict[tuple[object, ...], int] = defaultdict(int)
        self._opt_outs: set[str] = set()
        self._links: dict[str, UUID] = {}
        self._revenue: dict[UUID, RevenueFact] = {}

    async def insert(self, events: Sequence[AnalyticsEvent]) -> None:
        for event in events:
            at = event.timestamp.replace(microsecond=event.timestamp.microsecond // 1000 * 1000)
            key = (at.date(), event.event, event.distinct_id, event.uuid)  # the engine's sorting key
            self.events[key] = dataclasses.replace(event, timestamp=at) if at != event.timestamp else event
            self.rows += 1
            self._copies[key] += 1

    def _matching(self, query: SeriesQuery) -> list[AnalyticsEvent]:
        def named(event: AnalyticsEvent) -> bool:
            if not query.events and not query.sources:
                return True
            return event.event in query.events or event.source.value in query.sources

        def keep(event: AnalyticsEvent) -> bool:
            if not query.start <= event.timestamp < query.end or not named(event):
                return False
            return all(_dimension(event, each.dimension) in each.values for each in query.filters)

        return [event for event in self.events.values() if keep(event)]

    async def series(self, query: SeriesQuery) -> list[SeriesPoint]:
        groups: dict[tuple[datetime, str], list[AnalyticsEvent]] = defaultdict(list)
        for event in self._matching(query):
            split = _dimension(event, query.breakdown) if query.breakdown else ""
            groups[bucket_of(event.timestamp, query.interval), split].append(event)
        value = _value(query)
        return [SeriesPoint(bucket, value(events), split) for (bucket, split), events in sorted(groups.items())]

    async def cohorts(self, query: CohortQuery) -> list[SeriesPoint]:
        joined: dict[UUID, datetime] = {}
        for event in self.events.values():
            if event.event == query.joined and event.user_id and query.start <= event.timestamp < query.end:
                joined[event.user_id] = min(joined.get(event.user_id, event.timestamp), event.timestamp)
        cohort = {user: bucket_of(at, query.interval) for user, at in joined.items()}
        found: dict[tuple[datetime, str], set[UUID]] = defaultdict(set)
        for user, bucket in cohort.items():
            found[bucket, COHORT_SIZE].add(user)
        for event in self.events.values():
            came_back = event.event in query.returned or event.source.value in query.returned_sources
            if event.user_id in cohort and came_back:
                bucket = cohort[event.user_id]
                period = periods_between(bucket, bucket_of(event.timestamp, query.interval), query.interval)
                if 0 <= period <= query.periods:
                    found[bucket, str(period)].add(event.user_id)
        return sorted((SeriesPoint(b, len(users), split) for (b, split), users in found.items()), key=cohort_order)

    async def durations(self, query: DurationQuery) -> list[SeriesPoint]:
        began: dict[str, datetime] = {}
        ended: dict[str, AnalyticsEvent] = {}
        for event in sorted(self.events.values(), key=lambda each: each.timestamp):
            if event.timestamp >= query.end:
                continue
            thing = _dimension(event, query.key)
            if event.event == query.began:
                began.setdefault(thing, event.timestamp)
            if event.event == query.ended and all(
                _dimension(event, f.dimension) in f.values for f in query.ended_filters
            ):
                ended.setdefault(thing, event)
        groups: dict[tuple[datetime, str], list[int]] = defaultdict(list)
        for thing, end in ended.items():
            start = began.get(thing)
            if start is not None and start <= end.timestamp and end.timestamp >= query.start:
                split = _dimension(end, query.breakdown) if query.breakdown else ""
                millis = (end.timestamp - start) // timedelta(milliseconds=1)
                groups[bucket_of(end.timestamp, query.interval), split].append(millis // 1000)
        return [SeriesPoint(b, nearest_rank(seconds, query.percent), s) for (b, s), seconds in sorted(groups.items())]

    async def count(self, query: SeriesQuery) -> int:
        return _value(query)(self._matching(query))

    async def stored_rows(self) -> int:
        return self.rows

    async def record_opt_outs(self, distinct_ids: Sequence[str], at: datetime) -> None:
        self._opt_outs.update(distinct_ids)

    async def opted_out(self, distinct_ids: Sequence[str]) -> set[str]:
        return self._opt_outs.intersection(distinct_ids)

    async def all_opted_out(self) -> set[str]:
        return set(self._opt_outs)

    async def link(self, links: Sequence[tuple[str, UUID]], at: datetime) -> None:
        self._links.update(links)

    async def record_revenue_facts(self, facts: Sequence[RevenueFact]) -> None:
        for fact in facts:
            at = fact.at.replace(microsecond=fact.at.microsecond // 1000 * 1000)  # the engine's milliseconds
            self._revenue[fact.uuid] = dataclasses.replace(fact, at=at)

    async def revenue_facts(self) -> list[RevenueFact]:
        return list(self._revenue.values())

    async def user_of(self, distinct_id: str) -> UUID | None:
        return self._links.get(distinct_id)

    async def installs_of(self, user_ids: Sequence[UUID]) -> set[str]:
        return {install for install, user in self._links.items() if user in user_ids}

    async def export_events(self, start: datetime, end: datetime, events: Sequence[str], fmt: ExportFormat) -> bytes:
        if fmt is not ExportFormat.CSV:
            raise NotImplementedError("the memory store writes CSV only (Parquet is the engine's)")
        found = self._matching(SeriesQuery(start, end, events=tuple(events)))
        header = ("uuid", "event", "distinct_id", "timestamp", "received_at", "properties", "source",
                  "editor_version", "os", "locale", "country", "user_id")  # fmt: skip
        rows = [
            (str(e.uuid), e.event, e.distinct_id, _moment(e.timestamp), _moment(e.received_at), e.properties,
             e.source.value, e.editor_version, e.os, e.locale, e.country, str(e.user_id) if e.user_id else "")
            for e in sorted(found, key=lambda e: (e.timestamp, str(e.uuid)))
        ]  # fmt: skip
        return _csv(header, rows)

    async def export_series(self, query: SeriesQuery, fmt: ExportFormat) -> bytes:
        if fmt is not ExportFormat.CSV:
            raise NotImplementedError("the memory store writes CSV only (Parquet is the engine's)")
        points = await self.series(query)
        return _csv(
            ("bucket", "breakdown", "value"), [(f"{p.bucket:%Y-%m-%d %H:%M:%S}", p.breakdown, p.value) for p in points]
        )

    async def erase(self, distinct_ids: Sequence[str], user_ids: Sequence[UUID]) -> int:
        def of_person(event: AnalyticsEvent) -> bool:
            return event.distinct_id in distinct_ids or (event.user_id is not None and event.user_id in user_ids)

        erased = [key for key, event in self.events.items() if of_person(event)]
        for key in erased:
            del self.events[key]
            self.rows -= self._copies.pop(key)
        for install in distinct_ids:
            self._links.pop(install, None)
        return len(erased)


def _value(query: SeriesQuery) -> Callable[[list[AnalyticsEvent]], int]:
    if query.measure is Measure.EVENTS:
        return len
    if query.measure is Measure.PEOPLE:
        return lambda events: len({str(event.user_id) if event.user_id else event.distinct_id for event in events})
    if query.measure is Measure.SUM and query.summed is not None:
        summed = query.summed
        return lambda events: sum(_integer(event, summed) for event in events)
    return lambda events: len({event.distinct_id for event in events})


def _integer(event: AnalyticsEvent, name: str) -> int:
    """As ClickHouse's ``JSONExtractInt``: an integer property, else 0."""
    raw = _PROPERTIES.decode(event.properties).get(name.removeprefix("properties."))
    value = msgspec.json.decode(bytes(raw)) if raw is not None else 0
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class InMemoryEventClaims:
    """One process's claims (embedded, tests): exact within the process, which is all there is."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._until: dict[UUID, float] = {}
        self._now, self._next_sweep = now, 0.0

    async def claim(self, uuids: Sequence[UUID], window_seconds: int) -> list[bool]:
        now = self._now()
        if now >= self._next_sweep:  # expired claims go at most once a minute
            self._until = {uuid: until for uuid, until in self._until.items() if until > now}
            self._next_sweep = now + 60
        answers = []
        for uuid in uuids:
            taken = self._until.get(uuid, 0.0) > now
            if not taken:
                self._until[uuid] = now + window_seconds
            answers.append(not taken)
        return answers

    async def release(self, uuids: Sequence[UUID]) -> None:
        for uuid in uuids:
            self._until.pop(uuid, None)


class InMemoryIngestionKeyRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, IngestionKey] = store.table("analytics_ingestion_keys")

    async def add(self, key: IngestionKey) -> None:
        self._rows[key.id] = detached(key)

    async def get(self, key_id: UUID) -> IngestionKey | None:
        row = self._rows.get(key_id)
        return detached(row) if row else None

    async def get_by_digest(self, digest: str) -> IngestionKey | None:
        return next((detached(row) for row in self._rows.values() if row.digest == digest), None)

    async def update(self, key: IngestionKey) -> None:
        self._rows[key.id] = detached(key)


class InMemoryErasureRecords:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Erasure] = store.table("analytics_erasures")

    async def add(self, erasure: Erasure) -> None:
        self._rows[erasure.id] = erasure


class InMemoryAnalyticsAdminReads:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: Tables) -> None:
        self._keys: dict[UUID, IngestionKey] = store.table("analytics_ingestion_keys")
        self._erasures: dict[UUID, Erasure] = store.table("analytics_erasures")

    async def ingestion_keys(self) -> list[IngestionKey]:
        return sorted(
            (detached(row) for row in self._keys.values()), key=lambda k: (k.created_at, k.id.int), reverse=True
        )

    async def erasures(self, limit: int) -> list[Erasure]:
        return sorted(self._erasures.values(), key=lambda e: (e.requested_at, e.id.int), reverse=True)[:limit]


class InMemoryLiveCounters:
    """The live counters in the process (embedded: one process serves every stream). Counts older
    than a read could show are dropped as they age."""

    def __init__(self) -> None:
        self._tally = LiveTally()

    async def add(self, tally: LiveTally) -> None:
        newest = max(tally.events, default=None)
        now = datetime.fromtimestamp(newest, UTC) if newest is not None else datetime.min.replace(tzinfo=UTC)
        self._tally.add(tally, now)

    async def read(self, now: datetime) -> LiveFigures:
        kept = LiveTally()
        kept.add(self._tally, now)
        self._tally = kept
        today = now.date()
        return LiveFigures(
            at=now,
            events_per_minute=sum(kept.events.get(second, 0) for second in window_seconds(now)),
            events_today=kept.events_by_day.get(today, 0),
            editors_active=len(set().union(*(kept.installs.get(minute, set()) for minute in active_minutes(now)))),
            downloads_today=kept.downloads.get(today, 0),
            revenue_today={money: amount for (day, money), amount in kept.revenue.items() if day == today and amount},
        )


class InMemoryReportRuns:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, ReportRun] = store.table("analytics_report_runs")

    async def claim(self, run: ReportRun) -> bool:
        if await self.of_period(run.report_key, run.period_start) is not None:
            return False
        self._rows[run.id] = run
        return True

    async def get(self, run_id: UUID) -> ReportRun | None:
        return self._rows.get(run_id)

    async def of_period(self, report_key: str, period_start: datetime) -> ReportRun | None:
        return next(
            (r for r in self._rows.values() if (r.report_key, r.period_start) == (report_key, period_start)), None
        )

    async def latest(self, report_key: str, limit: int) -> list[ReportRun]:
        mine = [run for run in self._rows.values() if run.report_key == report_key]
        return sorted(mine, key=lambda run: run.period_start, reverse=True)[:limit]

    async def replace(self, run: ReportRun, attempt: int) -> bool:
        stored = self._rows.get(run.id)
        if stored is None or stored.attempt != attempt or stored.status is not RunStatus.RUNNING:
            return False
        self._rows[run.id] = run
        return True


class InMemoryReportSubscriptions:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[str, UUID], datetime] = store.table("analytics_report_subscriptions")

    async def subscribe(self, report_key: str, user_id: UUID, at: datetime) -> None:
        self._rows.setdefault((report_key, user_id), at)

    async def unsubscribe(self, report_key: str, user_id: UUID) -> None:
        self._rows.pop((report_key, user_id), None)

    async def subscribers(self, report_key: str) -> list[UUID]:
        mine = [(at, user) for (key, user), at in self._rows.items() if key == report_key]
        return [user for _, user in sorted(mine, key=lambda pair: (pair[0], str(pair[1])))]

    async def of_user(self, user_id: UUID) -> set[str]:
        return {key for key, user in self._rows if user == user_id}


class InMemoryReportListing:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, ReportRun] = store.table("analytics_report_runs")
        self._runs, self._subscriptions = InMemoryReportRuns(store), InMemoryReportSubscriptions(store)

    async def latest_runs(self, limit: int) -> dict[str, tuple[ReportRun, ...]]:
        keys = sorted({run.report_key for run in self._rows.values()})
        return {key: tuple(await self._runs.latest(key, limit)) for key in keys}

    async def subscribed(self, user_id: UUID) -> set[str]:
        return await self._subscriptions.of_user(user_id)


class InMemoryExportRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Export] = store.table("analytics_exports")

    async def add(self, export: Export) -> None:
        self._rows[export.id] = export

    async def get(self, export_id: UUID) -> Export | None:
        return self._rows.get(export_id)

    async def due(self, now: datetime, limit: int) -> list[Export]:
        waiting = [export for export in self._rows.values() if export.due(now)]
        return sorted(waiting, key=lambda e: (e.requested_at, e.id.int))[:limit]

    async def replace(self, export: Export, attempt: int) -> bool:
        stored = self._rows.get(export.id)
        if stored is None or stored.attempt != attempt or stored.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return False
        self._rows[export.id] = export
        return True
