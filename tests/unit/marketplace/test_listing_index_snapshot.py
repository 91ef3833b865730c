"""A ListingIndex restored from another index's snapshot (``exported``, as the child process of a
full load sends it) holds the same listings and answers the same pages, and takes incremental
changes (a listing event's reload by id, a removal) afterwards like one loaded in the process."""

from __future__ import annotations

import random
from dataclasses import replace

from devforge.adapters.persistence.listing_index import ListingIndex
from devforge.application.marketplace.search import SearchFilters
from devforge.domain.marketplace.listing import SortOrder, sort_key
from tests.unit.marketplace.test_listing_index_pages import NOW, catalogue

TEXTS = ["", "py", "python", "t", "te", "git", "lint py", "docker comp", "rust theme json", "zzz"]


def same_pages(expected: ListingIndex, got: ListingIndex, rng: random.Random) -> int:
    checked = 0
    for _ in range(200):
        filters = SearchFilters(
            rng.choice(TEXTS),
            category=rng.choice([None, None, "themes", "linters"]),
            tag=rng.choice([None, None, "python", "git"]),
            publisher=rng.choice([None, None, "pub3"]),
            platform=rng.choice([None, None, "linux-x64"]),
            paid=rng.choice([None, None, True, False]),
        )
        order, limit, after = rng.choice(list(SortOrder)), rng.choice([1, 7, 20]), None
        for _ in range(3):
            want = expected.page(filters, order, NOW, limit, after)
            assert got.page(filters, order, NOW, limit, after) == want, (filters, order, limit, after)
            checked += 1
            if len(want) < limit:
                break
            after = sort_key(want[-1], order, NOW)
    return checked


def test_a_restored_index_holds_the_same_listings_and_pages() -> None:
    rng = random.Random(5)
    listings = catalogue(rng, 300)
    built = ListingIndex()
    built.replace_all(listings)
    restored = ListingIndex()
    restored.restore(built.exported())

    assert restored.page(SearchFilters(), SortOrder.NAME, NOW, 1_000, None) == built.page(
        SearchFilters(), SortOrder.NAME, NOW, 1_000, None
    )
    assert {m.listing for m in restored.page(SearchFilters(), SortOrder.DOWNLOADS, NOW, 1_000, None)} == set(listings)
    assert same_pages(built, restored, rng) > 200


def test_a_restored_index_takes_changes_by_id() -> None:
    rng = random.Random(9)
    listings = catalogue(rng, 200)
    built = ListingIndex()
    built.replace_all(listings)
    restored = ListingIndex()
    restored.restore(built.exported())

    renamed = replace(listings[3], display_name="Docker compose helper", tags=("docker",), downloads=99_999)
    added = catalogue(random.Random(77), 1)[0]
    for index in (built, restored):
        index.apply([renamed, added], gone={listings[4].extension_id, listings[3].extension_id})
    expected = ListingIndex()
    kept = [renamed if item is listings[3] else item for item in listings if item is not listings[4]]
    expected.replace_all([*kept, added])

    top = restored.page(SearchFilters("docker"), SortOrder.DOWNLOADS, NOW, 1, None)
    assert [m.listing for m in top] == [renamed]
    assert listings[4].extension_id not in {
        m.listing.extension_id for m in restored.page(SearchFilters(), SortOrder.NAME, NOW, 1_000, None)
    }
    assert same_pages(expected, restored, rng) > 200
