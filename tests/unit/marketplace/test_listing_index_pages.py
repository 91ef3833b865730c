"""The ListingIndex's top-k pages are the domain's pages: on a random catalogue, every query,
filter, sort order, page size and cursor gives what the in-memory adapter (every listing scored
by ``listing.relevance`` and sorted by ``sort_key``) gives, row for row, relevance included, and
the same again once the pages are cached."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from devforge.adapters.memory.marketplace import InMemoryExtensionSearch
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.persistence.listing_index import ListingIndex
from devforge.application.marketplace.search import SearchFilters
from devforge.domain.marketplace.listing import Listing, SortOrder, sort_key

NOW = datetime(2026, 12, 1, tzinfo=UTC)
VOCABULARY = ["python", "pylint", "rust", "docker", "compose", "git", "graph", "theme", "test", "lint", "json"]
PLATFORMS = ["universal", "linux-x64", "win32-x64", "darwin-arm64"]


def catalogue(rng: random.Random, count: int) -> list[Listing]:
    def some(n: int) -> str:
        return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(0, n)))

    return [
        Listing(
            extension_id=UUID(int=rng.getrandbits(128)),
            namespace=f"pub{rng.randint(0, 9)}",
            name=f"ext-{n}",
            display_name=some(2) or f"Extension {n}",
            description=some(6),
            tags=tuple(sorted({rng.choice(VOCABULARY) for _ in range(rng.randint(0, 3))})),
            categories=(rng.choice(["themes", "linters", "other"]),),
            platforms=(rng.choice(PLATFORMS),),
            latest_version="1.0.0",
            verified=rng.random() < 0.8,
            deprecated=rng.random() < 0.05,
            downloads=rng.choice([0, 0, 1, 5, rng.randint(0, 100_000)]),  # ties, to be broken by id
            updated_at=NOW - timedelta(days=rng.choice([1, 10, 29, 40, 400])),
            rating_count=rng.choice([0, 0, 3]),
            rating_average=rng.choice([0.0, 4.5]),
            paid=rng.random() < 0.2,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(("rows", "pages"), [(100_000, 10_000), (60, 3)], ids=["default caches", "tiny caches"])
def test_every_page_is_the_domains_page(rows: int, pages: int) -> None:
    """Tiny caches: words' matches and pages dropped and computed again all the time."""
    rng = random.Random(12)
    listings = catalogue(rng, 400)
    store = MemoryStore()
    reference = InMemoryExtensionSearch(store)
    index = ListingIndex(max_matched_rows=rows, max_pages=pages)
    index.replace_all(listings)

    async def compare() -> int:
        for item in listings:
            await reference.upsert(item)
        checked = 0
        texts = ["", "py", "python", "t", "te", "git", "lint py", "docker comp", "rust theme json", "zzz"]
        for _ in range(300):
            filters = SearchFilters(
                rng.choice(texts),
                category=rng.choice([None, None, "themes", "linters"]),
                tag=rng.choice([None, None, None, "python", "git"]),
                publisher=rng.choice([None, None, None, "pub3"]),
                platform=rng.choice([None, None, "linux-x64", "alpine-x64"]),
                paid=rng.choice([None, None, True, False]),
            )
            order, limit = rng.choice(list(SortOrder)), rng.choice([1, 3, 20, 101])
            after = None
            for _ in range(4):
                expected = await reference.page(filters, order, NOW, limit, after)
                for _ in range(2):  # computed, then cached
                    got = index.page(filters, order, NOW, limit, after)
                    assert [(m.listing.extension_id, m.relevance) for m in got] == [
                        (m.listing.extension_id, m.relevance) for m in expected
                    ], (filters, order, limit, after)
                checked += 1
                if len(expected) < limit:
                    break
                after = sort_key(expected[-1], order, NOW)
        return checked

    assert asyncio.run(compare()) > 300


def test_a_listing_restated_as_it_was_keeps_the_cached_pages_and_a_real_change_drops_them() -> None:
    """A review of a version not yet published restates its extension's listing unchanged, or
    removes one never listed: the searches after it answer from the cache. A real change is seen."""
    listings = catalogue(random.Random(3), 50)
    index = ListingIndex()
    index.replace_all(listings)
    everything = SearchFilters("")
    first = index.page(everything, SortOrder.NAME, NOW, 20, None)
    assert index.cached_pages == 1

    index.apply([listings[0], listings[7]], gone=[UUID(int=1)])  # as they were; one never listed
    assert index.cached_pages == 1
    assert index.page(everything, SortOrder.NAME, NOW, 20, None) == first

    renamed = dataclasses.replace(first[0].listing, display_name="zzz last")
    index.apply([renamed], gone=[])
    assert index.cached_pages == 0
    after = index.page(everything, SortOrder.NAME, NOW, 20, None)
    assert renamed not in [match.listing for match in after]
    assert [match.listing for match in after][:19] == [match.listing for match in first][1:]

    index.page(everything, SortOrder.NAME, NOW, 20, None)
    index.apply([], gone=[listings[1].extension_id])  # a listing that was there goes
    assert index.cached_pages == 0


def test_a_word_of_one_listing_is_found_as_it_gains_and_loses_listings() -> None:
    """A word of one listing only (a name's number) is kept compactly: it is found by itself and
    by its prefix, with its field's relevance, while a second listing gets and loses it."""
    first, second = catalogue(random.Random(5), 2)
    first = dataclasses.replace(first, display_name="Zebrafish tools")
    second = dataclasses.replace(second, display_name="Other", description="about zebrafish")
    index = ListingIndex()
    index.replace_all([first])

    def found(text: str) -> list[tuple[UUID, float]]:
        matches = index.page(SearchFilters(text), SortOrder.RELEVANCE, NOW, 20, None)
        return [(match.listing.extension_id, match.relevance) for match in matches]

    assert found("zebrafish") == found("zebra") == [(first.extension_id, 3.0)]
    index.apply([second], gone=[])
    assert sorted(found("zebrafish")) == sorted([(first.extension_id, 3.0), (second.extension_id, 1.0)])
    index.apply([], gone=[first.extension_id])
    assert found("zebra") == [(second.extension_id, 1.0)]
    index.apply([], gone=[second.extension_id])
    assert found("zebra") == []
    index.apply([first], gone=[])
    index.apply([], gone=[first.extension_id])
    assert found("zebrafish") == []
