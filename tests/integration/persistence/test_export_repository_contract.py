"""Exports on memory, SQLite and PostgreSQL: what is due, and a compare-and-set on the attempt."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.analytics.ports import ExportRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.exports import Export, ExportFormat, ExportKind, ExportSpec, ExportStatus
from devforge.domain.analytics.queries import Interval, Measure
from tests.integration.backends import backend_container

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def an_export(minutes: int = 0) -> Export:
    spec = ExportSpec(
        ExportKind.SERIES, ExportFormat.PARQUET, NOW - timedelta(days=7), NOW, ("a", "b"), Interval.WEEK,
        Measure.DISTINCT_IDS,
    )  # fmt: skip
    return Export(uuid4(), spec, uuid4(), NOW + timedelta(minutes=minutes))


async def test_due_exports_and_one_taker_per_attempt(container: AsyncContainer) -> None:
    first, second = an_export(1), an_export(0)
    async with container() as scope:
        exports = await scope.get(ExportRepository)
        await exports.add(first)
        await exports.add(second)
        assert [e.id for e in await exports.due(NOW, 5)] == [second.id, first.id]
        running = second.started(NOW)
        assert await exports.replace(running, 0)
        assert not await exports.replace(second.started(NOW), 0)  # a second taker of the same attempt
        assert [e.id for e in await exports.due(NOW, 5)] == [first.id]
        assert {e.id for e in await exports.due(NOW + timedelta(minutes=3), 5)} == {first.id, second.id}  # stalled
        assert await exports.replace(running.finished(12, NOW), running.attempt)
        assert not await exports.replace(running.failed("late", NOW), running.attempt)  # finished once
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(ExportRepository)).get(second.id)
        assert stored is not None and stored == running.finished(12, NOW)
        assert stored.status is ExportStatus.DONE and stored.spec == second.spec
