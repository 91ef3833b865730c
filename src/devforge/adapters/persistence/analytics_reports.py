"""Analytics' report runs and subscriptions on the service's database."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import insert_unless_taken
from devforge.adapters.persistence.tables.analytics import analytics_report_runs as runs
from devforge.adapters.persistence.tables.analytics import analytics_report_subscriptions as subscriptions
from devforge.domain.analytics.reports import ReportRun, RunStatus


class SqlaReportRuns:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, run: ReportRun) -> bool:
        """``INSERT ... ON CONFLICT DO NOTHING`` on (report, period): one of two racing workers wins."""
        result = await self._session.execute(insert_unless_taken(self._session, runs, _row(run)))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, run_id: UUID) -> ReportRun | None:
        row = (await self._session.execute(select(runs).where(runs.c.id == run_id))).mappings().first()
        return _run(row) if row else None

    async def of_period(self, report_key: str, period_start: datetime) -> ReportRun | None:
        query = select(runs).where(runs.c.report_key == report_key, runs.c.period_start == period_start)
        row = (await self._session.execute(query)).mappings().first()
        return _run(row) if row else None

    async def latest(self, report_key: str, limit: int) -> list[ReportRun]:
        query = select(runs).where(runs.c.report_key == report_key).order_by(runs.c.period_start.desc()).limit(limit)
        return [_run(row) for row in (await self._session.execute(query)).mappings()]

    async def replace(self, run: ReportRun, attempt: int) -> bool:
        """One ``UPDATE ... WHERE attempt = ? AND status = 'running'``: on PostgreSQL a second
        writer waits for the first's commit, then finds the attempt moved on and changes nothing."""
        result = await self._session.execute(
            update(runs)
            .where(runs.c.id == run.id, runs.c.attempt == attempt, runs.c.status == RunStatus.RUNNING.value)
            .values(_row(run))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class SqlaReportSubscriptions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def subscribe(self, report_key: str, user_id: UUID, at: datetime) -> None:
        values = {"report_key": report_key, "user_id": user_id, "subscribed_at": at}
        await self._session.execute(insert_unless_taken(self._session, subscriptions, values))

    async def unsubscribe(self, report_key: str, user_id: UUID) -> None:
        await self._session.execute(
            delete(subscriptions).where(subscriptions.c.report_key == report_key, subscriptions.c.user_id == user_id)
        )

    async def subscribers(self, report_key: str) -> list[UUID]:
        query = (
            select(subscriptions.c.user_id)
            .where(subscriptions.c.report_key == report_key)
            .order_by(subscriptions.c.subscribed_at, subscriptions.c.user_id)
        )
        return list((await self._session.execute(query)).scalars())

    async def of_user(self, user_id: UUID) -> set[str]:
        query = select(subscriptions.c.report_key).where(subscriptions.c.user_id == user_id)
        return set((await self._session.execute(query)).scalars())


def _row(run: ReportRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "report_key": run.report_key,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "status": run.status.value,
        "attempt": run.attempt,
        "lease_until": run.lease_until,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "pdf_key": run.pdf_key,
        "csv_key": run.csv_key,
    }


def _run(row: Any) -> ReportRun:
    values = dict(row)
    values["status"] = RunStatus(values["status"])
    return ReportRun(**values)
