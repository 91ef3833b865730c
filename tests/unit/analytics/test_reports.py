"""Scheduled reports: each report's run for the last complete period is made once, however many
workers run the job at once and however often; a worker that dies mid-way is taken over after the
lease; the PDF (with its charts) and the CSV are stored, and each subscriber is mailed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.analytics.generate_due_reports import GenerateDueReports
from devforge.application.analytics.list_reports import ListReports
from devforge.application.analytics.ports import ReportRuns
from devforge.application.analytics.report_downloads import LinkToReportFile
from devforge.application.analytics.subscribe_to_report import SubscribeToReport
from devforge.application.analytics.unsubscribe_from_report import UnsubscribeFromReport
from devforge.application.common.actor import Actor
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.reports import REPORTS, ReportRun, ReportRunNotFound, RunStatus
from devforge.domain.identity.roles import Role
from devforge.domain.shared.errors import NotPermitted
from tests.access_world import add_account
from tests.outbox_drain import drain

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LAST_WEEK = datetime(2026, 11, 30, tzinfo=UTC)


def at(clock: ManualClock, when: datetime) -> None:
    clock.advance(when - clock.now())


def happened(name: str, when: datetime, who: str = "install-1") -> AnalyticsEvent:
    return AnalyticsEvent(uuid=uuid4(), event=name, distinct_id=who, timestamp=when, received_at=when, properties="{}")


async def generate(container: AsyncContainer) -> list[ReportRun]:
    async with container() as scope:
        return await (await scope.get(GenerateDueReports))()


async def reader(container: AsyncContainer, email: str) -> Actor:
    user = await add_account(container, email, Role.ANALYST, two_factor=True)
    return Actor.holding(user, AnalyticsPermission.READ)


async def subscribe(container: AsyncContainer, actor: Actor, key: str) -> None:
    async with container() as scope:
        await (await scope.get(SubscribeToReport))(actor, key)


async def test_each_run_is_made_once_by_racing_workers_and_mailed_once_to_each_subscriber(
    memory_container: AsyncContainer, clock: ManualClock, mailer: InMemoryMailer
) -> None:
    at(clock, MONDAY)
    store = await memory_container.get(InMemoryAnalyticsStore)
    await store.insert([happened("signed_up", LAST_WEEK + timedelta(hours=h)) for h in (1, 2, 3)])
    await store.insert([happened("extension_downloaded", LAST_WEEK + timedelta(days=2)) for _ in range(2)])
    await store.insert([happened("app_started", LAST_WEEK + timedelta(days=d), f"i-{d % 2}") for d in range(7)])
    await store.insert([happened("signed_up", MONDAY - timedelta(hours=1))])  # this week: not in last week's run
    ada, bob = await reader(memory_container, "ada@example.com"), await reader(memory_container, "bob@example.com")
    await subscribe(memory_container, ada, "platform-weekly")
    await subscribe(memory_container, ada, "platform-weekly")
    await subscribe(memory_container, bob, "platform-monthly")

    made = [run for runs in await asyncio.gather(*(generate(memory_container) for _ in range(3))) for run in runs]

    assert sorted(run.report_key for run in made) == ["platform-monthly", "platform-weekly"]
    assert await generate(memory_container) == []  # the job again: nothing left to make
    storage = await memory_container.get(FileStorage)
    pdf = await storage.get("analytics/reports/platform-weekly/2026-11-30.pdf")
    assert pdf is not None and pdf.startswith(b"%PDF")
    weekly_csv = (await storage.get("analytics/reports/platform-weekly/2026-11-30.csv") or b"").decode()
    assert "users.new,New sign-ups,2026-11-30,3\n" in weekly_csv
    assert "users.new,New sign-ups,2026-12-01,0\n" in weekly_csv  # every day of the period, zero too
    assert "extensions.downloads,Extension downloads,total,2\n" in weekly_csv
    assert "users.active_installs,Active editors,total,2\n" in weekly_csv  # distinct over the week, not summed
    monthly_csv = (await storage.get("analytics/reports/platform-monthly/2026-11-01.csv") or b"").decode()
    assert "users.new,New sign-ups,total,3\n" in monthly_csv

    await drain(memory_container)
    await drain(memory_container)
    mails = sorted((mail.to, mail.subject) for mail in mailer.sent)
    assert mails == [
        ("ada@example.com", "Platform, weekly: 2026-11-30 to 2026-12-06"),
        ("bob@example.com", "Platform, monthly: 2026-11-01 to 2026-11-30"),
    ]
    assert "/files/" in mailer.sent[0].text or "memory://" in mailer.sent[0].text


async def test_a_run_left_by_a_dead_worker_is_taken_over_after_its_lease(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    at(clock, MONDAY)
    weekly = REPORTS[0]
    dead = ReportRun.claim(uuid4(), weekly, clock.now())  # claimed, then its worker was killed
    async with memory_container() as scope:
        assert await (await scope.get(ReportRuns)).claim(dead)
        await (await scope.get(UnitOfWork)).commit()
    assert [run.report_key for run in await generate(memory_container)] == ["platform-monthly"]  # weekly is held
    clock.advance(timedelta(minutes=11))
    finished = await generate(memory_container)
    assert [(run.id, run.attempt, run.status) for run in finished] == [(dead.id, 2, RunStatus.DONE)]


async def test_readers_list_subscribe_and_get_signed_links_others_do_not(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    at(clock, MONDAY)
    ada = await reader(memory_container, "ada@example.com")
    await subscribe(memory_container, ada, "platform-monthly")
    made = {run.report_key: run for run in await generate(memory_container)}
    async with memory_container() as scope:
        views = await (await scope.get(ListReports))(ada)
        assert [(v.definition.key, v.subscribed, [r.id for r in v.runs]) for v in views] == [
            ("platform-weekly", False, [made["platform-weekly"].id]),
            ("platform-monthly", True, [made["platform-monthly"].id]),
        ]
        link = await (await scope.get(LinkToReportFile))(ada, "platform-weekly", made["platform-weekly"].id, "pdf")
        assert link.filename == "platform-weekly-2026-11-30.pdf"
        assert link.expires_at == clock.now() + timedelta(minutes=15)
        await (await scope.get(UnsubscribeFromReport))(ada, "platform-monthly")
    async with memory_container() as scope:
        assert not any(view.subscribed for view in await (await scope.get(ListReports))(ada))
        customer = Actor.holding(uuid4())
        with pytest.raises(NotPermitted):
            await (await scope.get(ListReports))(customer)
        with pytest.raises(NotPermitted):
            await (await scope.get(SubscribeToReport))(customer, "platform-weekly")
        with pytest.raises(ReportRunNotFound):
            await (await scope.get(LinkToReportFile))(ada, "platform-monthly", made["platform-weekly"].id, "csv")
