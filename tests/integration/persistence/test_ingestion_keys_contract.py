"""One contract for analytics' ingestion key repository and erasure records, on memory, SQLite and
PostgreSQL: a key round-trips, is found by its digest, keeps its revocation, and a rollback keeps
nothing; the administrators' lists (``AnalyticsAdminReads``, committed reads) give keys and
erasures newest first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.analytics.ports import AnalyticsAdminReads, ErasureRecords, IngestionKeyRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.erasure import Erasure, ErasureSubject
from devforge.domain.analytics.ingestion_key import IngestionKey
from tests.integration.backends import BACKENDS, backend_container

AT = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_key(name: str, at: datetime = AT) -> IngestionKey:
    secret = f"dfi_pub_{uuid4().hex}"
    return IngestionKey.issue(uuid4(), name, secret, uuid4().hex + uuid4().hex, uuid4(), at)


async def test_a_key_round_trips_is_found_by_digest_and_keeps_its_revocation(container: AsyncContainer) -> None:
    older, newer = a_key("Editor 1.x"), a_key("Editor 2.x", AT + timedelta(days=1))
    async with container() as scope:
        keys = await scope.get(IngestionKeyRepository)  # type: ignore[type-abstract]
        await keys.add(older)
        await keys.add(newer)
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    async with container() as scope:
        keys = await scope.get(IngestionKeyRepository)  # type: ignore[type-abstract]
        assert await keys.get(older.id) == older
        assert await keys.get_by_digest(newer.digest) == newer
        assert await keys.get_by_digest("0" * 64) is None
        older.revoke(AT + timedelta(hours=1))
        await keys.update(older)
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    async with container() as scope:
        stored = await (await scope.get(IngestionKeyRepository)).get(older.id)  # type: ignore[type-abstract]
        assert stored is not None and stored.revoked_at == AT + timedelta(hours=1) and not stored.active
    listed = await (await container.get(AnalyticsAdminReads)).ingestion_keys()  # type: ignore[type-abstract]
    assert [key.id for key in listed] == [newer.id, older.id]
    assert listed[1].revoked_at == AT + timedelta(hours=1) and listed[0] == newer


async def test_erasures_list_newest_first_as_recorded(container: AsyncContainer) -> None:
    subject = ErasureSubject("install-1", uuid4())
    older = Erasure(uuid4(), subject, ("install-1", "install-2"), (subject.user_id or uuid4(),), 12, uuid4(), AT)
    newer = Erasure(uuid4(), ErasureSubject("install-3", None), ("install-3",), (), 0, uuid4(), AT + timedelta(days=1))
    async with container() as scope:
        records = await scope.get(ErasureRecords)  # type: ignore[type-abstract]
        await records.add(older)
        await records.add(newer)
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    reads = await container.get(AnalyticsAdminReads)  # type: ignore[type-abstract]
    assert await reads.erasures(10) == [newer, older]
    assert await reads.erasures(1) == [newer]


async def test_without_commit_nothing_is_kept(container: AsyncContainer) -> None:
    key = a_key("Editor 3.x")
    async with container() as scope:
        await (await scope.get(IngestionKeyRepository)).add(key)  # type: ignore[type-abstract]
    async with container() as scope:
        assert await (await scope.get(IngestionKeyRepository)).get(key.id) is None  # type: ignore[type-abstract]
