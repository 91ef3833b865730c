"""Report runs on memory, SQLite and PostgreSQL: one run per (report, period) however many
workers claim it, and a compare-and-set on the attempt for taking over and finishing; the
reports' page reads them (``ReportListing``, committed data, no unit of work) as the
repositories do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.analytics.ports import ReportListing, ReportRuns, ReportSubscriptions
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.reports import REPORTS, ReportRun, RunStatus
from tests.integration.backends import backend_container

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WEEKLY = REPORTS[0]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def claim(container: AsyncContainer, run: ReportRun) -> bool:
    async with container() as scope:
        taken = await (await scope.get(ReportRuns)).claim(run)
        await (await scope.get(UnitOfWork)).commit()
        return taken


async def test_one_run_per_report_and_period_however_many_claim_it(container: AsyncContainer) -> None:
    rivals = [ReportRun.claim(uuid4(), WEEKLY, NOW + timedelta(minutes=i)) for i in range(4)]
    won = await asyncio.gather(*(claim(container, run) for run in rivals))
    assert sorted(won) == [False, False, False, True]
    async with container() as scope:
        runs = await scope.get(ReportRuns)
        stored = await runs.of_period(WEEKLY.key, rivals[0].period_start)
        assert stored is not None and stored.id == rivals[won.index(True)].id
        assert await runs.get(stored.id) == stored
        assert [run.id for run in await runs.latest(WEEKLY.key, 5)] == [stored.id]


async def test_only_the_latest_attempt_finishes_a_run(container: AsyncContainer) -> None:
    run = ReportRun.claim(uuid4(), WEEKLY, NOW)
    assert await claim(container, run)
    later = NOW + timedelta(minutes=11)
    async with container() as scope:
        runs = await scope.get(ReportRuns)
        taken = run.taken_over(later)
        assert await runs.replace(taken, run.attempt)
        assert not await runs.replace(run.taken_over(later), run.attempt)  # a second taker loses
        assert not await runs.replace(run.finished("a.pdf", "a.csv", later), run.attempt)  # the first worker, late
        assert await runs.replace(taken.finished("a.pdf", "a.csv", later), taken.attempt)
        assert not await runs.replace(taken.finished("b.pdf", "b.csv", later), taken.attempt)  # finished once
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(ReportRuns)).get(run.id)
        assert stored is not None and (stored.status, stored.attempt, stored.pdf_key) == (RunStatus.DONE, 2, "a.pdf")


async def test_subscribing_twice_is_once(container: AsyncContainer) -> None:
    ada, bob = uuid4(), uuid4()
    async with container() as scope:
        subscriptions = await scope.get(ReportSubscriptions)
        await subscriptions.subscribe(WEEKLY.key, ada, NOW)
        await subscriptions.subscribe(WEEKLY.key, ada, NOW + timedelta(days=1))
        await subscriptions.subscribe(WEEKLY.key, bob, NOW + timedelta(hours=1))
        await subscriptions.subscribe("platform-monthly", bob, NOW)
        await subscriptions.unsubscribe("platform-monthly", bob)
        await subscriptions.unsubscribe("platform-monthly", bob)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        subscriptions = await scope.get(ReportSubscriptions)
        assert await subscriptions.subscribers(WEEKLY.key) == [ada, bob]
        assert await subscriptions.subscribers("platform-monthly") == []
        assert await subscriptions.of_user(bob) == {WEEKLY.key}


async def test_the_listing_reads_each_reports_newest_runs_and_a_users_subscriptions(container: AsyncContainer) -> None:
    monthly = REPORTS[1]
    weeks = [ReportRun.claim(uuid4(), WEEKLY, NOW - timedelta(weeks=i)) for i in range(4)]
    months = [ReportRun.claim(uuid4(), monthly, NOW - timedelta(days=31 * i)) for i in range(2)]
    for run in (*weeks, *months):
        assert await claim(container, run)
    ada, bob = uuid4(), uuid4()
    async with container() as scope:
        await (await scope.get(ReportSubscriptions)).subscribe(monthly.key, ada, NOW)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        listing, runs = await scope.get(ReportListing), await scope.get(ReportRuns)
        latest = await listing.latest_runs(3)
        assert latest == {WEEKLY.key: tuple(weeks[:3]), monthly.key: tuple(months)}
        assert latest[WEEKLY.key] == tuple(await runs.latest(WEEKLY.key, 3))
        assert await listing.subscribed(ada) == {monthly.key}
        assert await listing.subscribed(bob) == set()
