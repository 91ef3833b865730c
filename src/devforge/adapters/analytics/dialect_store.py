"""What the chDB and ClickHouse stores share: the SQL (``clickhouse_sql``) and reading its
answers. Each names only how a statement reaches its engine."""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

import msgspec

from devforge.adapters.analytics import clickhouse_sql as sql
from devforge.adapters.analytics.clickhouse_durations import durations_sql
from devforge.domain.analytics.durations import DurationQuery
from devforge.domain.analytics.errors import QueryOverBudget
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.exports import ExportFormat
from devforge.domain.analytics.queries import CohortQuery, SeriesPoint, SeriesQuery, cohort_order
from devforge.domain.analytics.revenue_facts import RevenueFact

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_ROWS = msgspec.json.Decoder(list[tuple[float, str, int]])


class ClickHouseDialectStore(ABC):
    """The ``AnalyticsStore`` on an engine that speaks ClickHouse's SQL."""

    def __init__(self, database: str, retention_days: int) -> None:
        if not _IDENTIFIER.match(database):
            raise ValueError(f"not a database name: {database!r}")
        self._database, self._retention_days = database, retention_days
        self._schema_ready = False

    @abstractmethod
    async def _command(self, statement: str) -> None: ...

    @abstractmethod
    async def _insert(self, table: str, rows: bytes) -> None:
        """``rows``: a JSON array of objects (``JSONEachRow``)."""

    @abstractmethod
    async def _select(self, statement: str) -> bytes:
        """The answer as ``JSONCompactEachRow``: one JSON array per row, one per line."""

    @abstractmethod
    async def _export(self, statement: str, output: str) -> bytes:
        """The answer in ``output`` (``CSVWithNames``, ``Parquet``), as the engine writes it."""

    async def create_schema(self) -> None:
        """The store's own migrations: idempotent, run before the first statement of a process
        (not at start: whether the engine answers is not a start-up matter)."""
        for statement in sql.schema(self._database, self._retention_days):
            await self._command(statement)
        self._schema_ready = True

    async def _ready(self) -> None:
        if not self._schema_ready:
            await self.create_schema()

    async def insert(self, events: Sequence[AnalyticsEvent]) -> None:
        await self._ready()
        if events:  # encoded off the event loop: tens of thousands of rows take a while
            await self._insert(f"{self._database}.events", await asyncio.to_thread(sql.event_rows, events))

    async def series(self, query: SeriesQuery) -> list[SeriesPoint]:
        await self._ready()
        answer = await self._budgeted(sql.series_sql(self._database, query))
        rows = _ROWS.decode(b"[" + b",".join(answer.splitlines()) + b"]")
        return [SeriesPoint(datetime.fromtimestamp(bucket, UTC), value, split) for bucket, split, value in rows]

    async def cohorts(self, query: CohortQuery) -> list[SeriesPoint]:
        await self._ready()
        answer = await self._budgeted(sql.cohorts_sql(self._database, query))
        rows = _ROWS.decode(b"[" + b",".join(answer.splitlines()) + b"]")
        points = [SeriesPoint(datetime.fromtimestamp(bucket, UTC), value, split) for bucket, split, value in rows]
        return sorted(points, key=cohort_order)

    async def durations(self, query: DurationQuery) -> list[SeriesPoint]:
        await self._ready()
        answer = await self._budgeted(durations_sql(self._database, query))
        rows = _ROWS.decode(b"[" + b",".join(answer.splitlines()) + b"]")
        return [SeriesPoint(datetime.fromtimestamp(bucket, UTC), value, split) for bucket, split, value in rows]

    async def count(self, query: SeriesQuery) -> int:
        await self._ready()
        answer = (await self._budgeted(sql.count_sql(self._database, query))).splitlines()
        return int(str(msgspec.json.decode(answer[0])[0])) if answer else 0

    async def stored_rows(self) -> int:
        await self._ready()
        return int(str(await self._scalar(sql.stored_rows_sql(self._database)) or 0))

    async def record_opt_outs(self, distinct_ids: Sequence[str], at: datetime) -> None:
        await self._ready()
        if distinct_ids:
            await self._insert(f"{self._database}.opt_outs", sql.opt_out_rows(distinct_ids, at))

    async def opted_out(self, distinct_ids: Sequence[str]) -> set[str]:
        await self._ready()
        if not distinct_ids:
            return set()
        answer = await self._select(sql.opted_out_sql(self._database, distinct_ids))
        return {msgspec.json.decode(line)[0] for line in answer.splitlines() if line}

    async def all_opted_out(self) -> set[str]:
        await self._ready()
        answer = await self._select(sql.all_opted_out_sql(self._database))
        return {msgspec.json.decode(line)[0] for line in answer.splitlines() if line}

    async def link(self, links: Sequence[tuple[str, UUID]], at: datetime) -> None:
        await self._ready()
        if links:
            await self._insert(f"{self._database}.person_links", sql.link_rows(links, at))

    async def user_of(self, distinct_id: str) -> UUID | None:
        await self._ready()
        value = await self._scalar(sql.user_of_sql(self._database, distinct_id))
        return UUID(str(value)) if value else None

    async def installs_of(self, user_ids: Sequence[UUID]) -> set[str]:
        await self._ready()
        if not user_ids:
            return set()
        answer = await self._select(sql.installs_of_sql(self._database, user_ids))
        return {msgspec.json.decode(line)[0] for line in answer.splitlines() if line}

    async def export_events(self, start: datetime, end: datetime, events: Sequence[str], fmt: ExportFormat) -> bytes:
        await self._ready()
        return await self._export(sql.export_events_sql(self._database, start, end, events), sql.FORMATS[fmt])

    async def export_series(self, query: SeriesQuery, fmt: ExportFormat) -> bytes:
        await self._ready()
        return await self._export(sql.export_series_sql(self._database, query), sql.FORMATS[fmt])

    async def erase(self, distinct_ids: Sequence[str], user_ids: Sequence[UUID]) -> int:
        await self._ready()
        if not distinct_ids and not user_ids:
            return 0
        erased = int(str(await self._scalar(sql.person_events_sql(self._database, distinct_ids, user_ids)) or 0))
        for statement in sql.erase_sql(self._database, distinct_ids, user_ids):
            await self._command(statement)
        return erased

    async def record_revenue_facts(self, facts: Sequence[RevenueFact]) -> None:
        await self._ready()
        if facts:
            await self._insert(f"{self._database}.revenue_facts", sql.revenue_fact_rows(facts))

    async def revenue_facts(self) -> list[RevenueFact]:
        await self._ready()
        answer = await self._select(sql.revenue_facts_sql(self._database))
        return [sql.revenue_fact(msgspec.json.decode(line)) for line in answer.splitlines() if line]

    async def _budgeted(self, statement: str) -> bytes:
        """A query the engine may stop at its ``max_execution_time`` (ClickHouse's code 159,
        TIMEOUT_EXCEEDED, the same from chDB and over HTTP)."""
        try:
            return await self._select(statement)
        except Exception as error:
            if "TIMEOUT_EXCEEDED" in str(error) or "Code: 159" in str(error):
                raise QueryOverBudget("The query ran past its time budget.", field="range") from error
            raise

    async def _scalar(self, statement: str) -> object:
        answer = (await self._select(statement)).splitlines()
        return msgspec.json.decode(answer[0])[0] if answer else None
