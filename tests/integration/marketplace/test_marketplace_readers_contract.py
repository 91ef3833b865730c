"""The marketplace's readers for the signed-in and review pages, on the common read path: memory,
SQLite and PostgreSQL read ratings and a member's holdings exactly as the repositories do,
committed data only (``RatingReader``, ``MemberCatalogReader``: the pages take no unit of work)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import (
    CheckRecord,
    CheckRecordReader,
    CheckRecordRepository,
    ExtensionRepository,
    MemberCatalogReader,
    PublisherRepository,
    VersionRepository,
)
from devforge.application.marketplace.rating_ports import RatingReader, RatingRepository
from devforge.domain.marketplace.review import CheckOutcome, Finding, Severity
from tests.integration.backends import BACKENDS

from .test_catalog_reader_contract import shape
from .test_marketplace_repositories_contract import NOW, extension, marketplace_backend, publisher, version
from .test_ratings_repositories_contract import rating, stored_extension


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


async def test_ratings_are_read_as_the_repository_reads_them(container: AsyncContainer) -> None:
    extension_id, other = await stored_extension(container), await stored_extension(container)
    same_time = [rating(extension_id, stars, 5, UUID(int=stars)) for stars in (3, 4, 5)]
    written = [rating(extension_id, 1, 0), rating(extension_id, 5, 10), *same_time, rating(other, 2)]
    async with container() as scope:
        for each in written:
            await (await scope.get(RatingRepository)).add(each)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(RatingReader)
    async with container() as scope:
        ratings = await scope.get(RatingRepository)
        stored = await ratings.page(extension_id, limit=10, after=None)
        summary = await ratings.summary(extension_id)
        mine = await ratings.find(extension_id, written[0].user_id)
    first = await reader.page(extension_id, limit=2, after=None)
    rest = await reader.page(extension_id, limit=10, after=(first[-1].created_at, first[-1].id))
    assert shape(first + rest) == shape(stored) and len(stored) == 5
    assert await reader.summary(extension_id) == summary and summary.count == 5
    assert (await reader.summary(uuid4())).count == 0
    assert shape(await reader.find(extension_id, written[0].user_id)) == shape(mine) and mine is not None
    assert await reader.find(extension_id, uuid4()) is None
    assert await reader.page(uuid4(), limit=10, after=None) == []


async def test_an_extension_is_live_until_deleted(container: AsyncContainer) -> None:
    kept, gone = await stored_extension(container), await stored_extension(container)
    async with container() as scope:
        extensions = await scope.get(ExtensionRepository)
        deleted = await extensions.get(gone)
        assert deleted is not None
        deleted.delete(NOW + timedelta(hours=1))
        await extensions.update(deleted)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(RatingReader)
    assert await reader.live(kept) and not await reader.live(gone) and not await reader.live(uuid4())


async def test_a_members_holdings_are_read_as_the_repositories_read_them(container: AsyncContainer) -> None:
    member = uuid4()
    first, second, foreign = publisher("acme"), publisher("zeta"), publisher("other")
    first.members, second.members = {first.owner_id, member}, {second.owner_id, member}
    parent, bare, theirs = extension(first.id), extension(first.id, "bare"), extension(foreign.id, "theirs")
    night = extension(second.id, "night-owl")
    later = version(parent, "1.1.0")
    later.uploaded_at = NOW + timedelta(minutes=5)
    async with container() as scope:
        for owner in (first, second, foreign):
            await (await scope.get(PublisherRepository)).add(owner)
        for item in (parent, bare, night, theirs):
            await (await scope.get(ExtensionRepository)).add(item)
        for item in (later, version(parent, "1.0.0"), version(night), version(theirs)):
            await (await scope.get(VersionRepository)).add(item)
        await (await scope.get(UnitOfWork)).commit()
    held = await (await container.get(MemberCatalogReader)).member_catalog(member)
    async with container() as scope:
        publishers = await (await scope.get(PublisherRepository)).list_for_member(member)
        extensions = await (await scope.get(ExtensionRepository)).list_for_publishers([first.id, second.id])
        versions = await (await scope.get(VersionRepository)).list_for_extensions([e.id for e in extensions])
    assert shape(held.publishers) == shape(publishers)
    assert [p.namespace for p in held.publishers] == ["acme", "zeta"] and held.publishers[0].members == first.members
    assert shape(held.extensions) == shape(extensions)
    assert {e.id for e in held.extensions} == {parent.id, bare.id, night.id}
    assert {key: shape(value) for key, value in held.versions.items()} == {
        key: shape(value) for key, value in versions.items()
    }
    assert [v.version for v in held.versions[parent.id]] == ["1.0.0", "1.1.0"] and held.versions[bare.id] == []
    nobody = await (await container.get(MemberCatalogReader)).member_catalog(uuid4())
    assert (nobody.publishers, nobody.extensions, nobody.versions) == ([], [], {})


async def test_nothing_uncommitted_is_read(container: AsyncContainer) -> None:
    owner = publisher()
    owner.members = {owner.owner_id}
    parent = extension(owner.id)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(RatingRepository)).add(rating(parent.id, 4))
        await (await scope.get(UnitOfWork)).rollback()
    assert not await (await container.get(RatingReader)).live(parent.id)
    assert await (await container.get(RatingReader)).page(parent.id, limit=10, after=None) == []
    assert (await (await container.get(MemberCatalogReader)).member_catalog(owner.owner_id)).publishers == []


async def test_a_versions_checks_are_read_as_the_repository_reads_them(container: AsyncContainer) -> None:
    owner = publisher()
    parent = extension(owner.id)
    stored = version(parent)
    finding = Finding("symlink", "'x' is a symbolic link.", "x", None, Severity.HIGH)
    records = [
        CheckRecord(uuid4(), stored.id, turn, name, outcome, True, True, f"{name} says", "trace", (finding,), NOW)
        for turn, name, outcome in (
            (1, "archive_safety", CheckOutcome.FAILED),
            (1, "malware", CheckOutcome.ERRORED),
            (2, "malware", CheckOutcome.PASSED),
        )
    ]
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(VersionRepository)).add(stored)
        await (await scope.get(CheckRecordRepository)).add(records)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(CheckRecordReader)
    async with container() as scope:
        expected = await (await scope.get(CheckRecordRepository)).list_for_version(stored.id)
    assert await reader.for_version(stored.id) == expected
    assert [(r.review_round, r.check) for r in expected] == [(1, "archive_safety"), (1, "malware"), (2, "malware")]
    assert await reader.for_version(uuid4()) == []
