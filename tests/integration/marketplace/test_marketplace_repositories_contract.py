"""The marketplace repositories' contract, on memory, SQLite and PostgreSQL: what is stored comes
back whole, names and version slots stay taken, and nothing of a rolled-back unit is kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.download_extension import DownloadLedger
from devforge.application.marketplace.ports import (
    CheckRecord,
    CheckRecordRepository,
    ExtensionRepository,
    PublisherRepository,
    VersionRepository,
)
from devforge.application.marketplace.search import ExtensionSearch, SearchFilters, words
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.marketplace import SqlaMarketplaceProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.marketplace.errors import NameSquatted, VersionSlotTaken
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.listing import Listing, Match, SortKey, SortOrder, page, relevance, sort_key
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import CheckOutcome, Finding, Severity
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState
from tests.conftest import settings_for_tests
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@asynccontextmanager
async def marketplace_backend(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    base = memory_providers()
    if backend == "memory":
        container = make_container(settings_for_tests(), base=base)
        yield container
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        container = make_container(
            settings_for_tests(database_url=url), SqlaPersistenceProvider(), SqlaMarketplaceProvider(), base=base
        )
        try:
            yield container
        finally:
            await container.close()


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


def publisher(namespace: str = "acme", owner: UUID | None = None) -> Publisher:
    return Publisher(
        id=uuid4(),
        namespace=namespace,
        display_name=namespace.title(),
        owner_id=owner or uuid4(),
        contact_email="dev@acme.example",
        created_at=NOW,
    )


def extension(publisher_id: UUID, name: str = "rainbow-brackets") -> Extension:
    return Extension(
        id=uuid4(),
        publisher_id=publisher_id,
        name=name,
        display_name="Rainbow Brackets",
        description="Colours.",
        created_at=NOW,
        updated_at=NOW,
        tags=("brackets",),
        categories=("themes",),
    )


def version(extension_: Extension, number: str = "1.2.0", platform: str = "universal") -> ExtensionVersion:
    return ExtensionVersion.upload(
        id=uuid4(),
        extension_id=extension_.id,
        publisher_id=extension_.publisher_id,
        version=number,
        target_platform=platform,
        archive_key=f"extensions/{extension_.id}/x.zip",
        size=123,
        sha256="ab" * 32,
        uploaded_by=uuid4(),
        uploaded_at=NOW,
    )


async def test_publishers_round_trip_with_members_and_verification(container: AsyncContainer) -> None:
    member = uuid4()
    stored = publisher()
    stored.add_member(stored.owner_id, member)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        publishers = await scope.get(PublisherRepository)
        loaded = await publishers.get(stored.id, for_update=True)
        assert loaded is not None and loaded.members == {stored.owner_id, member}
        loaded.start_verification("acme.example", "token-1")
        loaded.verify(["devforge-verification=token-1"], NOW)
        await publishers.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        publishers = await scope.get(PublisherRepository)
        again = await publishers.get_by_namespace("acme")
        assert again is not None and again.verified_at == NOW and again.domain == "acme.example"
        assert await publishers.names() == ["Acme", "acme"]
        assert [p.id for p in await publishers.list_for_member(member)] == [stored.id]
        assert await publishers.list_for_member(uuid4()) == []
        with pytest.raises(NameSquatted):
            await publishers.add(publisher("acme"))


async def test_extensions_keep_their_listing_and_their_name_after_deletion(container: AsyncContainer) -> None:
    owner = publisher()
    stored = extension(owner.id)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        extensions = await scope.get(ExtensionRepository)
        loaded = await extensions.get(stored.id, for_update=True)
        assert loaded is not None and loaded.tags == ("brackets",) and loaded.categories == ("themes",)
        loaded.delete(NOW + timedelta(days=1))
        await extensions.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        extensions = await scope.get(ExtensionRepository)
        gone = await extensions.get(stored.id)
        assert gone is not None and gone.deleted_at == NOW + timedelta(days=1)
        assert await extensions.names() == ["rainbow-brackets"]
        assert await extensions.names(excluding=stored.id) == []
        assert [e.id for e in await extensions.list_for_publishers([owner.id])] == [stored.id]
        with pytest.raises(NameSquatted):
            await extensions.add(extension(owner.id))


async def test_versions_keep_history_and_a_slot_is_taken_for_good(container: AsyncContainer) -> None:
    owner = publisher()
    parent = extension(owner.id)
    stored = version(parent)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        versions = await scope.get(VersionRepository)
        await versions.add(stored)
        await versions.add(version(parent, platform="linux-x64"))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        versions = await scope.get(VersionRepository)
        loaded = await versions.get(stored.id, for_update=True)
        assert loaded is not None
        loaded.move(ReviewState.VALIDATING, NOW)
        loaded.decide(ReviewState.REJECTED, NOW, ("Bad manifest.",))
        loaded.delete(NOW)
        await versions.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        versions = await scope.get(VersionRepository)
        found = await versions.find(parent.id, "1.2.0", "universal")
        assert found is not None and found.state is ReviewState.REJECTED and found.deleted_at == NOW
        assert [(s.from_state, s.to_state, s.reason) for s in found.history] == [
            (ReviewState.UPLOADED, ReviewState.VALIDATING, ""),
            (ReviewState.VALIDATING, ReviewState.REJECTED, "Bad manifest."),
        ]
        assert len(await versions.list_for_extension(parent.id)) == 2
        with pytest.raises(VersionSlotTaken):
            await versions.add(version(parent))


async def test_check_records_come_back_in_order_and_a_rollback_keeps_nothing(container: AsyncContainer) -> None:
    owner = publisher()
    parent = extension(owner.id)
    stored = version(parent)
    finding = Finding("symlink", "'x' is a symbolic link.", "x", None, Severity.HIGH)
    records = [
        CheckRecord(uuid4(), stored.id, 1, name, outcome, True, True, f"{name} says", "trace", (finding,), NOW)
        for name, outcome in (("archive_safety", CheckOutcome.FAILED), ("malware", CheckOutcome.ERRORED))
    ]
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(VersionRepository)).add(stored)
        await (await scope.get(CheckRecordRepository)).add(records)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(publisher("zenith"))
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        assert await (await scope.get(CheckRecordRepository)).list_for_version(stored.id) == records
        assert await (await scope.get(PublisherRepository)).get_by_namespace("zenith") is None


def listing(name: str, **overrides: object) -> Listing:
    values: dict[str, object] = {
        "extension_id": uuid4(),
        "namespace": "acme",
        "name": name,
        "display_name": name.replace("-", " ").title(),
        "description": "Colours matching brackets.",
        "tags": ("brackets",),
        "categories": ("themes",),
        "platforms": ("universal",),
        "latest_version": "1.0.0",
        "verified": True,
        "deprecated": False,
        "downloads": 0,
        "updated_at": NOW,
    }
    return Listing(**(values | overrides))  # type: ignore[arg-type]


async def stored_listings(container: AsyncContainer, *listings: Listing) -> None:
    owner = publisher()
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        extensions = await scope.get(ExtensionRepository)
        for item in listings:
            parent = extension(owner.id, item.name)
            object.__setattr__(parent, "id", item.extension_id)
            await extensions.add(parent)
        search = await scope.get(ExtensionSearch)
        for item in listings:
            await search.upsert(item)
        await (await scope.get(UnitOfWork)).commit()


async def found(container: AsyncContainer, filters: SearchFilters) -> dict[str, float]:
    async with container() as scope:
        matches = await (await scope.get(ExtensionSearch)).page(filters, SortOrder.RELEVANCE, NOW, 1000, None)
    return {match.listing.name: match.relevance for match in matches}


async def ranked(
    container: AsyncContainer, filters: SearchFilters, order: SortOrder, limit: int, now: datetime = NOW
) -> list[str]:
    """Every page of the order, walked by keyset, and each page's rows in the adapter's order."""
    names: list[str] = []
    after: SortKey | None = None
    while True:
        async with container() as scope:
            chosen = await (await scope.get(ExtensionSearch)).page(filters, order, now, limit + 1, after)
        names.extend(match.listing.name for match in chosen[:limit])
        if len(chosen) <= limit:
            return names
        after = sort_key(chosen[limit - 1], order, now)


def catalogue() -> list[Listing]:
    """Ties on every key (same downloads, same day, same name, same score), unicode names,
    ratings, penalties and words in every field: what ranking must agree on."""
    shared_id = [UUID(int=n) for n in range(1, 41)]
    themes = ["rainbow", "dark", "python", "rust", "night", "brackets", "colour", "lint"]
    items: list[Listing] = []
    for n, extension_id in enumerate(shared_id):
        word, other = themes[n % len(themes)], themes[(n * 3 + 1) % len(themes)]
        items.append(
            listing(
                f"ext-{n:02d}-{word}",
                extension_id=extension_id,
                display_name=["Éclair", "zeta", "Zeta", "ärger", f"{word.title()} {n}"][n % 5],
                description=f"Helps with {other} and {word}ish things.",
                tags=(other,) if n % 2 else (),
                downloads=[0, 10, 10, 1000, 55][n % 5],
                updated_at=NOW - timedelta(days=[0, 29, 31, 400][n % 4]),
                verified=n % 7 != 0,
                deprecated=n % 11 == 0,
                rating_count=[0, 3, 200][n % 3],
                rating_average=[0.0, 5.0, 4.6][n % 3],
            )
        )
    return items


async def test_every_adapter_ranks_and_pages_the_same_way_as_the_domain(container: AsyncContainer) -> None:
    items = catalogue()
    await stored_listings(container, *items)
    async with container() as scope:  # figures through the port, as their consumers restate them
        search = await scope.get(ExtensionSearch)
        for item in items:
            await search.set_rating(item.extension_id, item.rating_count, item.rating_average)
        await search.set_downloads(items[3].extension_id, items[3].downloads + 1)
        await (await scope.get(UnitOfWork)).commit()
    expected_items = [replace(item, downloads=item.downloads + (item is items[3])) for item in items]
    for filters in (SearchFilters(), SearchFilters("rust"), SearchFilters("dark r"), SearchFilters("co", tag="dark")):
        terms = words(filters.text)
        matches = [
            Match(item, relevance(item, terms) if terms else 1.0)
            for item in expected_items
            if (filters.tag is None or filters.tag in item.tags) and (not terms or relevance(item, terms) > 0)
        ]
        for order in SortOrder:
            whole, _ = page(matches, order, NOW, len(matches) + 1, None)
            expected = [match.listing.name for match in whole]
            assert await ranked(container, filters, order, 7) == expected, (filters, order)


async def test_search_matches_every_word_as_a_prefix_and_filters(container: AsyncContainer) -> None:
    brackets = listing("rainbow-brackets")
    theme = listing(
        "night-owl", description="A dark theme for late coders.", tags=("theme", "dark"), categories=("themes",)
    )
    linter = listing(
        "py-lint",
        description="Finds bugs in Python.",
        tags=("python",),
        categories=("linters",),
        platforms=("linux-x64",),
    )
    await stored_listings(container, brackets, theme, linter)

    assert set(await found(container, SearchFilters())) == {"rainbow-brackets", "night-owl", "py-lint"}
    assert set(await found(container, SearchFilters("rainb"))) == {"rainbow-brackets"}
    assert set(await found(container, SearchFilters("dark coders"))) == {"night-owl"}
    assert set(await found(container, SearchFilters("dark python"))) == set()
    assert set(await found(container, SearchFilters(category="linters"))) == {"py-lint"}
    assert set(await found(container, SearchFilters(tag="dark"))) == {"night-owl"}
    assert set(await found(container, SearchFilters(platform="win32-x64"))) == {"rainbow-brackets", "night-owl"}
    assert set(await found(container, SearchFilters("python", platform="linux-x64"))) == {"py-lint"}
    assert set(await found(container, SearchFilters(publisher="zenith"))) == set()
    assert set(await found(container, SearchFilters("100%_ ' \" OR 1=1 --"))) == set()


async def test_a_listing_is_replaced_removed_and_takes_its_download_total(container: AsyncContainer) -> None:
    original = listing("rainbow-brackets")
    await stored_listings(container, original)
    async with container() as scope:
        search = await scope.get(ExtensionSearch)
        await search.upsert(
            listing("rainbow-brackets", extension_id=original.extension_id, description="Now with pastel.")
        )
        await search.set_downloads(original.extension_id, 2)
        await search.set_downloads(uuid4(), 7)  # not listed: nothing happens
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        search = await scope.get(ExtensionSearch)
        stored = await search.get(original.extension_id)
        assert stored is not None and stored.downloads == 2 and stored.tags == ("brackets",)
        assert set(await found(container, SearchFilters("pastel"))) == {"rainbow-brackets"}
        assert await found(container, SearchFilters("colours")) == {}
        await search.remove(original.extension_id)
        await (await scope.get(UnitOfWork)).commit()
    assert await found(container, SearchFilters()) == {}


async def test_a_listing_keeps_its_rating_and_filters_free_from_paid(container: AsyncContainer) -> None:
    free, paid = listing("rainbow-brackets"), listing("pro-brackets", paid=True)
    await stored_listings(container, free, paid)
    async with container() as scope:
        search = await scope.get(ExtensionSearch)
        await search.set_rating(paid.extension_id, 3, 4.5)
        await search.set_rating(uuid4(), 1, 5.0)  # not listed: nothing happens
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(ExtensionSearch)).get(paid.extension_id)
    assert stored is not None and (stored.rating_count, stored.rating_average, stored.paid) == (3, 4.5, True)
    assert set(await found(container, SearchFilters(paid=True))) == {"pro-brackets"}
    assert set(await found(container, SearchFilters("brackets", paid=False))) == {"rainbow-brackets"}
    assert set(await found(container, SearchFilters("brackets"))) == {"rainbow-brackets", "pro-brackets"}


async def test_a_download_is_counted_once_per_version_client_and_day(container: AsyncContainer) -> None:
    owner = publisher()
    parent = extension(owner.id)
    stored = version(parent)
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(parent)
        await (await scope.get(VersionRepository)).add(stored)
        ledger = await scope.get(DownloadLedger)
        day = NOW.date()
        assert await ledger.record(stored.id, "client-a", day, "install") is True
        assert await ledger.record(stored.id, "client-a", day, "update") is False
        assert await ledger.record(stored.id, "client-b", day, "install") is True
        assert await ledger.record(stored.id, "client-a", day + timedelta(days=1), "update") is True
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:  # once committed: seen again the same day, a new day counts
        ledger = await scope.get(DownloadLedger)
        assert await ledger.record(stored.id, "client-a", day, "install") is False
        assert await ledger.record(stored.id, "client-b", day, "update") is False
        assert await ledger.record(stored.id, "client-b", day + timedelta(days=1), "install") is True
        await (await scope.get(UnitOfWork)).commit()
