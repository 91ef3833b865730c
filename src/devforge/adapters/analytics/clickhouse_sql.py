"""The analytics store's schema and queries in ClickHouse's dialect, shared by the ClickHouse
adapter and the chDB one, so the SQL production runs is the SQL the tests run.

No value is ever pasted into SQL unquoted: strings go through ``literal``, dimensions are checked
against ``valid_dimension`` (a column or ``properties.<key>`` of a fixed alphabet) by the query's
own type, and numbers and dates are formatted from typed values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from uuid import UUID

import msgspec

from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.exports import ExportFormat
from devforge.domain.analytics.queries import (
    EDITOR_ACTIVITY_EVENTS,
    EDITOR_ACTIVITY_SOURCES,
    CohortQuery,
    Filter,
    Interval,
    Measure,
    SeriesQuery,
)
from devforge.domain.analytics.revenue_facts import RevenueFact, RevenueFactKind


def schema(database: str, retention_days: int) -> tuple[str, ...]:
    """Idempotent: run at every start (the store's own migrations, not Alembic's).

    ``events``: partitioned by month, ordered by day, event, distinct id and uuid (PostHog's order,
    without its team: one tenant), so a day's series of one event reads a narrow range. A
    ReplacingMergeTree on that key: a uuid stored twice (the dedup window's backstop) is merged
    into one, and every query reads ``FINAL``. Rows older than ``retention_days`` are dropped by TTL.
    Opt-outs and identity links have no TTL: an opt-out must outlive the events. Neither have the
    revenue facts (billing's subscription and refund facts, ordered by subscription, a uuid kept
    once): a subscription's MRR needs its start however long ago it was."""
    return (
        f"CREATE DATABASE IF NOT EXISTS {database}",
        f"""CREATE TABLE IF NOT EXISTS {database}.events (
            uuid UUID,
            event LowCardinality(String),
            distinct_id String,
            timestamp DateTime64(3, 'UTC'),
            received_at DateTime64(3, 'UTC'),
            properties String,
            source LowCardinality(String),
            editor_version LowCardinality(String),
            os LowCardinality(String),
            locale LowCardinality(String),
            visitor String,
            country LowCardinality(String),
            user_id Nullable(UUID),
            {", ".join(MATERIALIZED_COLUMNS)}
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(timestamp)
        ORDER BY (toDate(timestamp), event, distinct_id, uuid)
        TTL toDateTime(timestamp) + INTERVAL {int(retention_days)} DAY""",
        *(f"ALTER TABLE {database}.events ADD COLUMN IF NOT EXISTS {column}" for column in MATERIALIZED_COLUMNS),
        *daily_activity_schema(database, retention_days),
        f"""CREATE TABLE IF NOT EXISTS {database}.opt_outs (
            distinct_id String, at DateTime64(3, 'UTC')
        ) ENGINE = ReplacingMergeTree ORDER BY distinct_id""",
        f"""CREATE TABLE IF NOT EXISTS {database}.person_links (
            distinct_id String, user_id UUID, at DateTime64(3, 'UTC')
        ) ENGINE = ReplacingMergeTree(at) ORDER BY distinct_id""",
        f"""CREATE TABLE IF NOT EXISTS {database}.revenue_facts (
            uuid UUID,
            kind LowCardinality(String),
            at DateTime64(3, 'UTC'),
            order_id UUID,
            user_id UUID,
            currency LowCardinality(String),
            amount Int64,
            net Int64,
            period LowCardinality(String),
            reference String
        ) ENGINE = ReplacingMergeTree ORDER BY (order_id, uuid)""",
    )


class _Row(msgspec.Struct):
    uuid: str
    event: str
    distinct_id: str
    timestamp: float
    received_at: float
    properties: str
    source: str
    editor_version: str
    os: str
    locale: str
    visitor: str
    country: str
    user_id: str | None


_ENCODER = msgspec.json.Encoder()


def event_rows(events: Sequence[AnalyticsEvent]) -> bytes:
    """``JSONEachRow`` input (a JSON array of objects, which ClickHouse takes as rows)."""
    return _ENCODER.encode(
        [
            _Row(
                str(e.uuid), e.event, e.distinct_id, e.timestamp.timestamp(), e.received_at.timestamp(),
                e.properties, e.source.value, e.editor_version, e.os, e.locale, e.visitor, e.country,
                str(e.user_id) if e.user_id else None,
            )
            for e in events
        ]
    )  # fmt: skip


def literal(value: str) -> str:
    """A ClickHouse string literal: backslashes and quotes escaped, nothing else interpreted."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _property_text(key: str) -> str:
    """A property's value as text: a string as itself, anything else as its JSON."""
    text = f"JSONExtractString(properties, {literal(key)})"
    return f"if(JSONType(properties, {literal(key)}) = 'String', {text}, JSONExtractRaw(properties, {literal(key)}))"


MATERIALIZED_PROPERTIES = {"properties.kind": "property_kind"}
"""Properties read often enough to be a column of their own (``MATERIALIZED``: computed from
``properties`` as a row is inserted, never sent by the writer), so a filter or breakdown on them
does not parse every row's JSON: a download's ``kind`` (install or update: ``extensions.installs``).
Added to an existing table by ``ALTER TABLE ... ADD COLUMN IF NOT EXISTS``: rows inserted from
then on carry it, older parts compute it as they are read (the same value, at the old cost) until
a merge or ``ALTER TABLE ... MATERIALIZE COLUMN`` writes it."""
MATERIALIZED_COLUMNS = tuple(
    f"{column} LowCardinality(String) MATERIALIZED {_property_text(name.removeprefix('properties.'))}"
    for name, column in MATERIALIZED_PROPERTIES.items()
)


def moment(at: datetime) -> str:
    return f"toDateTime64({at.astimezone(UTC).timestamp():.3f}, 3, 'UTC')"


def dimension(name: str) -> str:
    """A column, or a property's value as text (a string as itself, anything else as its JSON):
    its materialized column when it has one."""
    if not name.startswith("properties."):
        return name
    return MATERIALIZED_PROPERTIES.get(name) or _property_text(name.removeprefix("properties."))


BUCKETS = {
    Interval.HOUR: "toStartOfHour(timestamp)",
    Interval.DAY: "toStartOfDay(timestamp)",
    Interval.WEEK: "toDateTime(toMonday(timestamp), 'UTC')",
    Interval.MONTH: "toDateTime(toStartOfMonth(timestamp), 'UTC')",
}


def _where(query: SeriesQuery) -> str:
    conditions = [f"timestamp >= {moment(query.start)}", f"timestamp < {moment(query.end)}"]
    named = [f"event IN ({', '.join(literal(name) for name in query.events)})"] if query.events else []
    sources = [f"source IN ({', '.join(literal(name) for name in query.sources)})"] if query.sources else []
    if named or sources:
        conditions.append("(" + " OR ".join(named + sources) + ")")
    conditions.extend(condition(each) for each in query.filters)
    return " AND ".join(conditions)


def condition(filter_: Filter) -> str:
    return f"{dimension(filter_.dimension)} IN ({', '.join(literal(value) for value in filter_.values)})"


def _value(query: SeriesQuery) -> str:
    if query.measure is Measure.SUM and query.summed is not None:
        return f"sum(JSONExtractInt(properties, {literal(query.summed.removeprefix('properties.'))}))"
    return _MEASURES[query.measure]


_MEASURES = {
    Measure.EVENTS: "count()",
    Measure.DISTINCT_IDS: "uniqExact(distinct_id)",
    Measure.PEOPLE: "uniqExact(ifNull(toString(user_id), distinct_id))",
}


def _settings(query: SeriesQuery) -> str:
    """The engine's own time budget: it stops the query (TIMEOUT_EXCEEDED) rather than run on."""
    if query.budget_seconds is None:
        return ""
    return f" SETTINGS max_execution_time = {max(query.budget_seconds, 0.001):.3f}, timeout_overflow_mode = 'throw'"


_PERSON = "if(user_id IS NULL, cityHash64(distinct_id), cityHash64(assumeNotNull(user_id)))"
_ACTIVITY_COLUMNS = ("editor_version", "os", "locale", "country")
_ACTIVITY_WHERE = (
    f"source IN ({', '.join(literal(s) for s in EDITOR_ACTIVITY_SOURCES)}) "
    f"OR event IN ({', '.join(literal(e) for e in EDITOR_ACTIVITY_EVENTS)})"
)


def daily_activity_schema(database: str, retention_days: int) -> tuple[str, ...]:
    """A rollup of editor activity (``EDITOR_ACTIVITY_*``): one row per day, person and editor
    (version, OS, locale, country), filled by a materialized view as events are inserted, so the
    active-users series read a row per person-day instead of every event. A person is a hash of
    the user id when known, else of the distinct id (as ``Measure.PEOPLE``); a row repeated (a
    uuid stored twice, an insert retried) changes no distinct count, so it is read without FINAL.
    Filled once from the events when it is created (an installation that had events before it)."""
    columns = ", ".join(_ACTIVITY_COLUMNS)
    select = (
        f"SELECT toDate(timestamp) AS day, {columns}, {_PERSON} AS person FROM {database}.events "  # noqa: S608
        f"WHERE ({_ACTIVITY_WHERE})"
    )
    grouped = f"GROUP BY day, {columns}, person"
    return (
        f"""CREATE TABLE IF NOT EXISTS {database}.daily_activity (
            day Date,
            editor_version LowCardinality(String),
            os LowCardinality(String),
            locale LowCardinality(String),
            country LowCardinality(String),
            person UInt64
        ) ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(day)
        ORDER BY (day, person, {columns})
        TTL day + INTERVAL {int(retention_days)} DAY""",
        f"INSERT INTO {database}.daily_activity {select} "  # noqa: S608
        f"AND (SELECT count() FROM {database}.daily_activity) = 0 {grouped}",
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.daily_activity_mv TO {database}.daily_activity AS "
        f"{select} {grouped}",
    )


def _reads_daily_activity(query: SeriesQuery) -> bool:
    """Whether the rollup answers the query exactly: distinct people of editor activity, whole
    UTC days, buckets of a day or more, filters and breakdown among the rollup's columns."""
    dimensions = [each.dimension for each in query.filters] + [query.breakdown] * (query.breakdown is not None)
    return (
        query.measure is Measure.PEOPLE
        and (set(query.events), set(query.sources)) == (set(EDITOR_ACTIVITY_EVENTS), set(EDITOR_ACTIVITY_SOURCES))
        and query.interval is not Interval.HOUR
        and all(_midnight(at) for at in (query.start, query.end))
        and all(each in _ACTIVITY_COLUMNS for each in dimensions)
    )


def _midnight(at: datetime) -> bool:
    return at.astimezone(UTC).time() == time(0)


_DAY_BUCKETS = {
    Interval.DAY: "toDateTime(day, 'UTC')",
    Interval.WEEK: "toDateTime(toMonday(day), 'UTC')",
    Interval.MONTH: "toDateTime(toStartOfMonth(day), 'UTC')",
}


def _daily_activity_sql(database: str, query: SeriesQuery) -> str:
    breakdown = query.breakdown or "''"
    conditions = [
        f"day >= toDate({literal(query.start.astimezone(UTC).date().isoformat())})",
        f"day < toDate({literal(query.end.astimezone(UTC).date().isoformat())})",
        *(condition(each) for each in query.filters),
    ]
    select = (
        f"SELECT toUnixTimestamp({_DAY_BUCKETS[query.interval]}) AS bucket, {breakdown} AS split, uniqExact(person)"
    )
    grouped = "GROUP BY bucket, split ORDER BY bucket, split"
    return f"{select} FROM {database}.daily_activity WHERE {' AND '.join(conditions)} {grouped}{_settings(query)}"


def series_sql(database: str, query: SeriesQuery) -> str:
    """Rows ``[bucket epoch seconds, breakdown, value]``, ordered by bucket then breakdown."""
    if _reads_daily_activity(query):
        return _daily_activity_sql(database, query)
    breakdown = dimension(query.breakdown) if query.breakdown else "''"
    select = f"SELECT toUnixTimestamp({BUCKETS[query.interval]}) AS bucket, {breakdown} AS split, {_value(query)}"
    grouped = "GROUP BY bucket, split ORDER BY bucket, split"
    return f"{select} FROM {database}.events FINAL WHERE {_where(query)} {grouped}{_settings(query)}"


_COHORT_BUCKETS = {Interval.DAY: "toDate({})", Interval.WEEK: "toMonday({})", Interval.MONTH: "toStartOfMonth({})"}
_PERIODS = {
    Interval.DAY: "dateDiff('day', c.cohort, r.period)",
    Interval.WEEK: "intDiv(dateDiff('day', c.cohort, r.period), 7)",
    Interval.MONTH: "dateDiff('month', c.cohort, r.period)",
}


def cohorts_sql(database: str, query: CohortQuery) -> str:
    """Rows ``[bucket epoch seconds, "size" or the period, users]`` (unordered)."""
    bucket = _COHORT_BUCKETS[query.interval]
    since = f"timestamp >= {moment(query.start)}"
    joined = (
        f"SELECT assumeNotNull(user_id) AS person, {bucket.format('min(timestamp)')} AS cohort "  # noqa: S608
        f"FROM {database}.events WHERE event = {literal(query.joined)} AND user_id IS NOT NULL "
        f"AND {since} AND timestamp < {moment(query.end)} GROUP BY person"
    )
    named = [f"event IN ({', '.join(literal(e) for e in query.returned)})"] * bool(query.returned)
    named += [f"source IN ({', '.join(literal(s) for s in query.returned_sources)})"] * bool(query.returned_sources)
    returned = (
        f"SELECT DISTINCT assumeNotNull(user_id) AS person, {bucket.format('timestamp')} AS period "  # noqa: S608
        f"FROM {database}.events WHERE user_id IS NOT NULL AND ({' OR '.join(named) or '0'}) AND {since}"
    )
    period = _PERIODS[query.interval]
    sizes = (
        "SELECT toUnixTimestamp(toDateTime(cohort, 'UTC')) AS bucket, 'size' AS split, count() AS users "  # noqa: S608
        f"FROM ({joined}) GROUP BY bucket"
    )
    back = (
        f"SELECT toUnixTimestamp(toDateTime(c.cohort, 'UTC')) AS bucket, toString({period}) AS split, "  # noqa: S608
        f"uniqExact(c.person) AS users FROM ({joined}) AS c INNER JOIN ({returned}) AS r ON c.person = r.person "
        f"WHERE r.period >= c.cohort AND {period} <= {int(query.periods)} GROUP BY bucket, split"
    )
    budget = f" SETTINGS max_execution_time = {query.budget_seconds:.3f}" if query.budget_seconds else ""
    return f"{sizes} UNION ALL {back}{budget}"


def count_sql(database: str, query: SeriesQuery) -> str:
    return f"SELECT {_value(query)} FROM {database}.events FINAL WHERE {_where(query)}{_settings(query)}"  # noqa: S608


def stored_rows_sql(database: str) -> str:
    return f"SELECT count() FROM {database}.events"  # noqa: S608


def opted_out_sql(database: str, distinct_ids: Sequence[str]) -> str:
    ids = ", ".join(literal(each) for each in distinct_ids)
    return f"SELECT DISTINCT distinct_id FROM {database}.opt_outs WHERE distinct_id IN ({ids})"  # noqa: S608


def opt_out_rows(distinct_ids: Sequence[str], at: datetime) -> bytes:
    return _ENCODER.encode([{"distinct_id": each, "at": at.timestamp()} for each in distinct_ids])


def all_opted_out_sql(database: str) -> str:
    return f"SELECT DISTINCT distinct_id FROM {database}.opt_outs"  # noqa: S608


def link_rows(links: Sequence[tuple[str, UUID]], at: datetime) -> bytes:
    moment_ = at.timestamp()
    return _ENCODER.encode([{"distinct_id": who, "user_id": str(user), "at": moment_} for who, user in links])


def user_of_sql(database: str, distinct_id: str) -> str:
    return f"SELECT toString(user_id) FROM {database}.person_links FINAL WHERE distinct_id = {literal(distinct_id)}"  # noqa: S608


def installs_of_sql(database: str, user_ids: Sequence[UUID]) -> str:
    users = ", ".join(literal(str(each)) for each in user_ids)
    return f"SELECT distinct_id FROM {database}.person_links FINAL WHERE toString(user_id) IN ({users})"  # noqa: S608


def _person(distinct_ids: Sequence[str], user_ids: Sequence[UUID]) -> str:
    conditions = []
    if distinct_ids:
        conditions.append(f"distinct_id IN ({', '.join(literal(each) for each in distinct_ids)})")
    if user_ids:
        conditions.append(f"toString(user_id) IN ({', '.join(literal(str(each)) for each in user_ids)})")
    return " OR ".join(conditions) or "0"


def person_events_sql(database: str, distinct_ids: Sequence[str], user_ids: Sequence[UUID]) -> str:
    """How many events an erasure removes (as queries count them: a repeated uuid once)."""
    return f"SELECT count() FROM {database}.events FINAL WHERE {_person(distinct_ids, user_ids)}"  # noqa: S608


def erase_sql(database: str, distinct_ids: Sequence[str], user_ids: Sequence[UUID]) -> tuple[str, ...]:
    """Mutations (``ALTER TABLE ... DELETE``), not lightweight deletes: the parts are rewritten
    without the rows, so the data is gone from disk, not only masked until a merge.
    ``mutations_sync = 2`` waits for every replica, so the erasure is done when it answers."""
    sync = "SETTINGS mutations_sync = 2"
    statements = [f"ALTER TABLE {database}.events DELETE WHERE {_person(distinct_ids, user_ids)} {sync}"]
    if distinct_ids:
        ids = ", ".join(literal(each) for each in distinct_ids)
        statements.append(f"ALTER TABLE {database}.person_links DELETE WHERE distinct_id IN ({ids}) {sync}")
    people = [f"cityHash64({literal(each)})" for each in distinct_ids]
    people += [f"cityHash64(toUUID({literal(str(each))}))" for each in user_ids]
    if people:  # the activity rollup's hashes of them too
        statements.append(f"ALTER TABLE {database}.daily_activity DELETE WHERE person IN ({', '.join(people)}) {sync}")
    return tuple(statements)


def revenue_fact_rows(facts: Sequence[RevenueFact]) -> bytes:
    return _ENCODER.encode(
        [
            {
                "uuid": str(f.uuid), "kind": f.kind.value, "at": f.at.timestamp(), "order_id": str(f.order_id),
                "user_id": str(f.user_id), "currency": f.currency, "amount": f.amount, "net": f.net,
                "period": f.interval, "reference": f.reference,
            }
            for f in facts
        ]
    )  # fmt: skip


def revenue_facts_sql(database: str) -> str:
    """Rows ``[uuid, kind, at in epoch milliseconds, order, user, currency, amount, net, period, reference]``."""
    columns = "toString(uuid), kind, toUnixTimestamp64Milli(at), toString(order_id), toString(user_id), currency"
    return f"SELECT {columns}, amount, net, period, reference FROM {database}.revenue_facts FINAL"  # noqa: S608


def revenue_fact(row: list[object]) -> RevenueFact:
    uuid, kind, at, order_id, user_id, currency, amount, net, period, reference = row
    return RevenueFact(
        uuid=UUID(str(uuid)),
        kind=RevenueFactKind(str(kind)),
        at=datetime.fromtimestamp(int(str(at)) / 1000, UTC),
        order_id=UUID(str(order_id)),
        user_id=UUID(str(user_id)),
        currency=str(currency),
        amount=int(str(amount)),
        net=int(str(net)),
        interval=str(period),
        reference=str(reference),
    )


EXPORT_COLUMNS = (
    "toString(uuid) AS uuid",
    "event",
    "distinct_id",
    "timestamp",
    "received_at",
    "properties",
    "source",
    "editor_version",
    "os",
    "locale",
    "country",
    "ifNull(toString(user_id), '') AS user_id",
)
"""What an export of raw events carries: everything but the day's visitor hash."""
FORMATS = {ExportFormat.CSV: "CSVWithNames", ExportFormat.PARQUET: "Parquet"}


def export_events_sql(database: str, start: datetime, end: datetime, events: Sequence[str]) -> str:
    conditions = [f"timestamp >= {moment(start)}", f"timestamp < {moment(end)}"]
    if events:
        conditions.append(f"event IN ({', '.join(literal(name) for name in events)})")
    columns = ", ".join(EXPORT_COLUMNS)
    where = " AND ".join(conditions)
    return f"SELECT {columns} FROM {database}.events FINAL WHERE {where} ORDER BY timestamp, uuid"  # noqa: S608


def export_series_sql(database: str, query: SeriesQuery) -> str:
    """``series_sql`` with the bucket as a time and named columns."""
    return (
        f"SELECT toDateTime(bucket, 'UTC') AS bucket, split AS breakdown, value FROM ({_series_named(database, query)})"  # noqa: S608
    )


def _series_named(database: str, query: SeriesQuery) -> str:
    return series_sql(database, query).replace(f"{_value(query)} FROM", f"{_value(query)} AS value FROM", 1)
