"""The dist-tag and dependency repositories' contract, on memory, SQLite and PostgreSQL; and the
new version columns (the pre-release flag, the publication time) round-trip."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.channel_ports import DependencyRepository, DistTagRepository
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository, VersionRepository
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState
from tests.integration.backends import BACKENDS

from .test_marketplace_repositories_contract import NOW, extension, marketplace_backend, publisher, version


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


def approved(parent: Extension, number: str = "1.2.0") -> ExtensionVersion:
    stored = version(parent, number)
    for state in (ReviewState.VALIDATING, ReviewState.SCANNING, ReviewState.PASSED, ReviewState.APPROVED):
        stored.move(state, NOW + timedelta(hours=1))
    return stored


async def test_custom_tags_are_set_moved_removed_and_dropped_by_version(container: AsyncContainer) -> None:
    owner = publisher()
    parent, other = extension(owner.id), extension(owner.id, "night-owl")
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        for item in (parent, other):
            await (await scope.get(ExtensionRepository)).add(item)
        tags = await scope.get(DistTagRepository)
        await tags.put(parent.id, "next", "1.3.0")
        await tags.put(parent.id, "beta", "1.3.0")
        await tags.put(parent.id, "old", "1.0.0")
        await tags.put(other.id, "next", "1.3.0")
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        tags = await scope.get(DistTagRepository)
        assert await tags.of_extension(parent.id) == {"beta": "1.3.0", "next": "1.3.0", "old": "1.0.0"}
        await tags.put(parent.id, "old", "1.1.0")
        assert await tags.remove(parent.id, "beta") is True
        assert await tags.remove(parent.id, "beta") is False
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        tags = await scope.get(DistTagRepository)
        assert await tags.of_extension(parent.id) == {"next": "1.3.0", "old": "1.1.0"}
        assert await tags.remove_pointing_at(parent.id, "1.3.0") == ["next"]
        assert await tags.remove_pointing_at(parent.id, "9.9.9") == []
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        tags = await scope.get(DistTagRepository)
        assert await tags.of_extension(parent.id) == {"next": "1.3.0", "old": "1.1.0"}  # rolled back
        assert await tags.of_extension(other.id) == {"next": "1.3.0"}


async def test_dependents_are_live_extensions_with_a_published_version_declaring_the_name(
    container: AsyncContainer,
) -> None:
    owner = publisher()
    core = extension(owner.id, "core-tools")
    users = {name: extension(owner.id, name) for name in ("night-owl", "py-lint", "old-theme", "draft-ext")}
    live, yanked, gone, draft = (
        approved(users["night-owl"]),
        approved(users["py-lint"]),
        approved(users["old-theme"]),
        version(users["draft-ext"]),
    )
    yanked.yank("Broken.", NOW)
    users["old-theme"].delete(NOW)
    own = approved(core)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        for item in (core, *users.values()):
            await (await scope.get(ExtensionRepository)).add(item)
        versions, dependencies = await scope.get(VersionRepository), await scope.get(DependencyRepository)
        for stored in (live, yanked, gone, draft, own):
            await versions.add(stored)
            await dependencies.replace(stored.id, ("acme.core-tools", "acme.other"))
        await dependencies.replace(own.id, ("acme.core-tools",))  # itself: never its own dependent
        await dependencies.replace(live.id, ("acme.core-tools", "acme.core-tools"))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        dependencies = await scope.get(DependencyRepository)
        assert await dependencies.of_version(live.id) == ("acme.core-tools",)
        assert await dependencies.of_version(draft.id) == ("acme.core-tools", "acme.other")
        assert await dependencies.dependents("acme", "core-tools", excluding=core.id) == [
            "acme.night-owl",
            "acme.py-lint",  # yanked, but a lockfile may still pin it
        ]
        assert await dependencies.dependents("acme", "nothing", excluding=core.id) == []


async def test_a_version_keeps_its_pre_release_flag_and_publication_time(container: AsyncContainer) -> None:
    owner = publisher()
    parent = extension(owner.id)
    flagged = approved(parent, "1.3.0")
    flagged.pre_release = True
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(VersionRepository)).add(flagged)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        loaded = await (await scope.get(VersionRepository)).get(flagged.id)
    assert loaded is not None and loaded.prerelease is True
    assert loaded.published_at == NOW + timedelta(hours=1)
