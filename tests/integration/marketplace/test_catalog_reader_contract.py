"""The ``CatalogReader`` on the common read path: memory, SQLite and PostgreSQL read an extension
exactly as the repositories do (publisher with its members, every version in upload order, its
custom dist-tags), committed data only; and the repositories' reads of many at once
(versions of several extensions, the publishers of a member) answer as one at a time does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import fields, is_dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.channel_ports import DistTagRepository
from devforge.application.marketplace.ports import (
    CatalogReader,
    ExtensionRepository,
    PublisherRepository,
    VersionRepository,
)
from tests.integration.backends import BACKENDS

from .test_marketplace_channels_contract import approved
from .test_marketplace_repositories_contract import NOW, extension, marketplace_backend, publisher, version


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


def shape(value: Any) -> Any:
    """Field by field (domain objects also carry the events they recorded, which reads never do)."""
    if isinstance(value, list | tuple):
        return [shape(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: shape(getattr(value, field.name)) for field in fields(value) if not field.name.startswith("_")
        }
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {name: shape(item) for name, item in vars(value).items() if not name.startswith("_")}
    return value


async def test_an_extension_is_read_as_the_repositories_read_it(container: AsyncContainer) -> None:
    owner = publisher()
    owner.members = {owner.owner_id, uuid4()}
    parent, other = extension(owner.id), extension(owner.id, "night-owl")
    first = approved(parent, "1.0.0")
    second = version(parent, "1.1.0")
    second.uploaded_at = NOW + timedelta(minutes=5)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        for item in (parent, other):
            await (await scope.get(ExtensionRepository)).add(item)
        for item in (second, first, version(other)):
            await (await scope.get(VersionRepository)).add(item)
        await (await scope.get(DistTagRepository)).put(parent.id, "next", "1.1.0")
        await (await scope.get(UnitOfWork)).commit()
    entry = await (await container.get(CatalogReader)).entry(parent.id)
    assert entry is not None
    async with container() as scope:
        assert shape(entry.extension) == shape(await (await scope.get(ExtensionRepository)).get(parent.id))
        assert shape(entry.publisher) == shape(await (await scope.get(PublisherRepository)).get(owner.id))
        stored = await (await scope.get(VersionRepository)).list_for_extension(parent.id)
        assert shape(entry.versions) == shape(stored)
    assert entry.publisher.members == owner.members
    alone = await (await container.get(CatalogReader)).publisher(owner.id)  # billing's statements ask who owns it
    assert alone is not None and shape(alone) == shape(entry.publisher)
    assert [item.version for item in entry.versions] == ["1.0.0", "1.1.0"]
    assert entry.versions[0].published and not entry.versions[1].published
    assert entry.custom_tags == {"next": "1.1.0"}


async def test_an_extension_without_versions_or_tags_and_one_with_many_read_apart(container: AsyncContainer) -> None:
    owner = publisher()
    bare, busy = extension(owner.id, "bare"), extension(owner.id, "busy")
    numbers = ["1.0.0", "1.0.1", "2.0.0-beta.1", "2.0.0"]
    versions = [version(busy, number) for number in numbers]  # all uploaded at the same instant
    versions[1].delete(NOW + timedelta(minutes=1))
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        for item in (bare, busy):
            await (await scope.get(ExtensionRepository)).add(item)
        for item in reversed(versions):
            await (await scope.get(VersionRepository)).add(item)
        tags = await scope.get(DistTagRepository)
        for tag, number in (("stable", "2.0.0"), ("beta", "2.0.0-beta.1"), ("lts", "1.0.0")):
            await tags.put(busy.id, tag, number)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(CatalogReader)
    empty, full = await reader.entry(bare.id), await reader.entry(busy.id)
    assert empty is not None and full is not None
    assert (empty.extension.name, empty.versions, empty.custom_tags) == ("bare", [], {})
    assert empty.publisher.members == {owner.owner_id} == full.publisher.members
    async with container() as scope:
        stored = await (await scope.get(VersionRepository)).list_for_extension(busy.id)
    assert shape(full.versions) == shape(stored)
    in_order = sorted(versions, key=lambda item: item.id.int)
    numbers_by_id = [item.version for item in in_order]
    assert [item.version for item in full.versions] == numbers_by_id
    assert [item.deleted_at is not None for item in full.versions] == [number == "1.0.1" for number in numbers_by_id]
    assert list(full.custom_tags.items()) == [("beta", "2.0.0-beta.1"), ("lts", "1.0.0"), ("stable", "2.0.0")]


async def test_nothing_uncommitted_and_no_unknown_extension_is_read(container: AsyncContainer) -> None:
    owner = publisher()
    parent = extension(owner.id)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(UnitOfWork)).rollback()
    reader = await container.get(CatalogReader)
    assert await reader.entry(parent.id) is None
    assert await reader.entry(uuid4()) is None
    assert await reader.publisher(owner.id) is None and await reader.publisher(uuid4()) is None


async def test_versions_of_several_extensions_and_publishers_of_a_member_come_in_one_read_each(
    container: AsyncContainer,
) -> None:
    member = uuid4()
    first, second = publisher("acme"), publisher("zeta")
    first.members, second.members = {first.owner_id, member}, {second.owner_id, member}
    parent, other, bare = extension(first.id), extension(second.id, "night-owl"), extension(first.id, "bare")
    later = version(parent, "1.1.0")
    later.uploaded_at = NOW + timedelta(minutes=5)
    async with container() as scope:
        for owner in (first, second):
            await (await scope.get(PublisherRepository)).add(owner)
        for item in (parent, other, bare):
            await (await scope.get(ExtensionRepository)).add(item)
        for item in (later, version(parent, "1.0.0"), version(other)):
            await (await scope.get(VersionRepository)).add(item)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        versions = await scope.get(VersionRepository)
        found = await versions.list_for_extensions([parent.id, other.id, bare.id])
        assert {key: [v.version for v in value] for key, value in found.items()} == {
            parent.id: ["1.0.0", "1.1.0"],
            other.id: ["1.2.0"],
            bare.id: [],
        }
        assert shape(found[parent.id]) == shape(await versions.list_for_extension(parent.id))
        assert await versions.list_for_extensions([]) == {}
        held = await (await scope.get(PublisherRepository)).list_for_member(member)
        assert [(p.namespace, p.members) for p in held] == [("acme", first.members), ("zeta", second.members)]
