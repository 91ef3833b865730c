"""The read models' ports on memory, SQLite and PostgreSQL: download counts recounted from the
ledger per day or all at once, the same however often; extensions walked in id order by batch.
On PostgreSQL, two restatements of one extension take turns on its row."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.download_extension import DownloadLedger
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.application.marketplace.read_models import DownloadCounts, MarketplaceReadModels
from devforge.application.marketplace.search import ExtensionSearch
from tests.integration.backends import BACKENDS
from tests.integration.marketplace.test_marketplace_repositories_contract import (
    NOW,
    extension,
    marketplace_backend,
    publisher,
    version,
)

DAY = NOW.date()


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


async def two_extensions_downloaded(container: AsyncContainer) -> tuple[UUID, UUID]:
    """Brackets: 1.0 by a and b today and by a tomorrow, 1.1 by c today; guides: by a today."""
    owner = publisher()
    brackets, guides = extension(owner.id), extension(owner.id, "indent-guides")
    old, new, other = version(brackets, "1.0.0"), version(brackets, "1.1.0"), version(guides)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        for parent in (brackets, guides):
            await (await scope.get(ExtensionRepository)).add(parent)
        for stored in (old, new, other):
            await (await scope.get(VersionRepository)).add(stored)
        ledger = await scope.get(DownloadLedger)
        for version_id, client, day in (
            (old.id, "a", DAY),
            (old.id, "b", DAY),
            (old.id, "a", DAY + timedelta(days=1)),
            (new.id, "c", DAY),
            (other.id, "a", DAY),
        ):
            await ledger.record(version_id, client, day, "install")
        await (await scope.get(UnitOfWork)).commit()
    return brackets.id, guides.id


async def test_counts_follow_the_ledger_per_day_or_all_at_once_however_often(container: AsyncContainer) -> None:
    brackets, guides = await two_extensions_downloaded(container)
    async with container() as scope:
        counts = await scope.get(DownloadCounts)
        assert await counts.total(brackets) == 0  # nothing recounted yet
        await counts.recount(brackets, DAY)
        await counts.recount(brackets, DAY)
        assert await counts.total(brackets) == 3  # today: a, b and c
        await counts.recount(brackets)
        await counts.recount(guides)
        await counts.recount(guides)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        counts = await scope.get(DownloadCounts)
        assert (await counts.total(brackets), await counts.total(guides)) == (4, 1)
        await counts.recount(brackets, DAY + timedelta(days=5))  # a day without downloads
        assert await counts.total(brackets) == 4


async def test_extensions_are_walked_in_id_order_a_batch_at_a_time(container: AsyncContainer) -> None:
    owner = publisher()
    stored = [extension(owner.id, f"ext-{n}") for n in range(5)]
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        for parent in stored:
            await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        extensions = await scope.get(ExtensionRepository)
        walked, after = [], None
        while batch := await extensions.ids(after=after, limit=2):
            walked.append(batch)
            after = batch[-1]
        assert await extensions.count() == 5
    assert [len(batch) for batch in walked] == [2, 2, 1]
    assert [extension_id for batch in walked for extension_id in batch] == sorted(
        (parent.id for parent in stored), key=lambda extension_id: extension_id.int
    )


async def test_a_restatement_waits_for_another_of_the_same_extension_then_reads_what_it_committed(
    tmp_path: Path,
) -> None:
    async with marketplace_backend("postgres", tmp_path) as container:
        brackets, _ = await two_extensions_downloaded(container)

        async def second() -> int:
            async with container() as scope:
                await (await scope.get(MarketplaceReadModels)).downloads(brackets)
                await (await scope.get(UnitOfWork)).commit()
                return await (await scope.get(DownloadCounts)).total(brackets)

        async with container() as first:
            await (await first.get(MarketplaceReadModels)).downloads(brackets, DAY)
            waiting = asyncio.create_task(second())
            await asyncio.sleep(0.5)
            assert not waiting.done(), "the second restatement must wait for the first's row lock"
            assert await (await first.get(DownloadCounts)).total(brackets) == 3
            await (await first.get(UnitOfWork)).commit()
        assert await asyncio.wait_for(waiting, 10) == 4
        async with container() as scope:
            assert await (await scope.get(ExtensionSearch)).get(brackets) is None  # never listed: nothing to carry
