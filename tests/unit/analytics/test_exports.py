"""Exports: queued by a request, written by a worker a day at a time with the rows so far
visible, taken over and restarted whole when a worker dies, and bounded."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.get_export import GetExport
from devforge.application.analytics.ports import ExportRepository
from devforge.application.analytics.request_export import RequestExport
from devforge.application.analytics.run_due_exports import RunDueExports
from devforge.application.common.actor import Actor
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.exports import Export, ExportFormat, ExportKind, ExportNotFound, ExportSpec, ExportStatus
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted, RuleViolated

DAY = datetime(2026, 11, 2, tzinfo=UTC)
ANALYST = Actor.holding(uuid4(), AnalyticsPermission.EXPORT)


def happened(name: str, when: datetime) -> AnalyticsEvent:
    return AnalyticsEvent(
        uuid=uuid4(), event=name, distinct_id="i-1", timestamp=when, received_at=when, properties="{}"
    )


def spec(fmt: ExportFormat = ExportFormat.CSV, kind: ExportKind = ExportKind.EVENTS, days: int = 3) -> ExportSpec:
    return ExportSpec(kind, fmt, DAY, DAY + timedelta(days=days), ("app_started",))


async def request(container: AsyncContainer, wanted: ExportSpec, actor: Actor = ANALYST) -> Export:
    async with container() as scope:
        return await (await scope.get(RequestExport))(actor, wanted)


async def run(container: AsyncContainer) -> Export | None:
    async with container() as scope:
        return await (await scope.get(RunDueExports))()


async def seeded(container: AsyncContainer) -> None:
    store = await container.get(InMemoryAnalyticsStore)
    await store.insert(
        [happened("app_started", DAY + timedelta(days=d, hours=h)) for d in range(3) for h in range(d + 1)]
    )
    await store.insert([happened("other", DAY), happened("app_started", DAY + timedelta(days=5))])


async def test_a_csv_export_is_written_a_day_at_a_time_and_linked_when_done(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    await seeded(memory_container)
    queued = await request(memory_container, spec())
    assert (queued.status, queued.rows) == (ExportStatus.QUEUED, 0)

    done = await run(memory_container)

    assert done is not None and (done.status, done.rows, done.attempt) == (ExportStatus.DONE, 6, 1)
    assert await run(memory_container) is None  # nothing left
    data = await (await memory_container.get(FileStorage)).get(done.key)
    rows = list(csv.DictReader(io.StringIO((data or b"").decode())))
    assert len(rows) == 6 and {row["event"] for row in rows} == {"app_started"}
    async with memory_container() as scope:
        view = await (await scope.get(GetExport))(ANALYST, queued.id)
        assert view.url is not None and view.expires_at == clock.now() + timedelta(minutes=15)
        with pytest.raises(ExportNotFound):  # someone else's export is not theirs to see
            await (await scope.get(GetExport))(Actor.holding(uuid4(), AnalyticsPermission.EXPORT), queued.id)


async def test_a_dead_workers_export_is_taken_over_and_restarted_whole(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    await seeded(memory_container)
    queued = await request(memory_container, spec())
    dead = queued.started(clock.now()).progressed(2, clock.now())  # a worker wrote a day, then was killed
    async with memory_container() as scope:
        assert await (await scope.get(ExportRepository)).replace(dead, queued.attempt)
        await (await scope.get(UnitOfWork)).commit()
    assert await run(memory_container) is None  # still leased to the dead worker
    clock.advance(timedelta(minutes=3))

    done = await run(memory_container)

    assert done is not None and (done.status, done.rows, done.attempt) == (ExportStatus.DONE, 6, 2)
    async with memory_container() as scope:  # the dead worker, had it woken, could no longer write
        repository = await scope.get(ExportRepository)
        assert not await repository.replace(dead.progressed(4, clock.now()), dead.attempt)


async def test_series_parquet_on_memory_and_bounds(memory_container: AsyncContainer) -> None:
    await seeded(memory_container)
    series = await request(memory_container, spec(kind=ExportKind.SERIES))
    done = await run(memory_container)
    assert done is not None and done.id == series.id and done.rows == 3
    await request(memory_container, spec(ExportFormat.PARQUET))
    failed = await run(memory_container)  # the memory store has no engine to write Parquet
    assert failed is not None and failed.status is ExportStatus.FAILED and "Parquet" in failed.error
    with pytest.raises(RuleViolated):
        spec(days=93)
    with pytest.raises(NotPermitted):
        await request(memory_container, spec(), Actor.holding(uuid4(), AnalyticsPermission.READ))
