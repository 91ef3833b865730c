"""The reports' page on the common read path (``read_path.py``): every report's latest runs in one
statement (numbered per report, newest period first, the first ``limit`` of each kept), and the
caller's subscriptions in one; no ORM session, no transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import bindparam, func, select

from devforge.adapters.persistence.analytics_reports import _run
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.analytics import analytics_report_runs as runs
from devforge.adapters.persistence.tables.analytics import analytics_report_subscriptions as subscriptions
from devforge.domain.analytics.reports import ReportRun

_newest_first = func.row_number().over(partition_by=runs.c.report_key, order_by=runs.c.period_start.desc())
_NUMBERED = select(runs, _newest_first.label("newest")).subquery()
_LATEST = (
    select(*(_NUMBERED.c[column.name] for column in runs.c))
    .where(_NUMBERED.c.newest <= bindparam("limit"))
    .order_by(_NUMBERED.c.report_key, _NUMBERED.c.period_start.desc())
)
_SUBSCRIBED = select(subscriptions.c.report_key).where(subscriptions.c.user_id == bindparam("user_id"))


class SqlaReportListing:
    def __init__(self, reads: ReadPath) -> None:
        self._latest, self._subscribed = reads.prepare(_LATEST), reads.prepare(_SUBSCRIBED)

    async def latest_runs(self, limit: int) -> dict[str, tuple[ReportRun, ...]]:
        found: dict[str, list[ReportRun]] = {}
        for row in await self._latest.rows(limit=limit):
            found.setdefault(row["report_key"], []).append(_run(row))
        return {key: tuple(held) for key, held in found.items()}

    async def subscribed(self, user_id: UUID) -> set[str]:
        return {row["report_key"] for row in await self._subscribed.rows(user_id=user_id)}
