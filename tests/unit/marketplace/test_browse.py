"""Ranking and keyset paging of browse and search."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.adapters.memory.clock import ManualClock
from devforge.application.marketplace.browse_extensions import BrowseExtensions, BrowseQuery
from devforge.application.marketplace.search import SearchFilters
from devforge.domain.marketplace.errors import ExtensionInvalid
from devforge.domain.marketplace.listing import Listing, Match, SortKey, SortOrder, page, relevance, score

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def listing(number: int, **overrides: object) -> Listing:
    base = Listing(
        extension_id=UUID(int=number),
        namespace="acme",
        name=f"ext-{number}",
        display_name=f"Extension {number:03d}",
        description="",
        tags=(),
        categories=(),
        platforms=("universal",),
        latest_version="1.0.0",
        verified=True,
        deprecated=False,
        downloads=number * 10,
        updated_at=NOW - timedelta(days=number),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_unverified_and_deprecated_extensions_rank_below_an_equal_match() -> None:
    plain, unverified, deprecated = listing(1), listing(1, verified=False), listing(1, deprecated=True)
    assert score(Match(plain, 1.0), NOW) > score(Match(unverified, 1.0), NOW) > score(Match(deprecated, 1.0), NOW)


def test_popularity_and_recency_lift_an_equal_match() -> None:
    popular = listing(1, downloads=10_000, updated_at=NOW - timedelta(days=400))
    fresh = listing(2, downloads=0, updated_at=NOW)
    stale = listing(3, downloads=0, updated_at=NOW - timedelta(days=400))
    assert score(Match(popular, 1.0), NOW) > score(Match(stale, 1.0), NOW)
    assert score(Match(fresh, 1.0), NOW) > score(Match(stale, 1.0), NOW)


def test_many_good_ratings_outrank_a_few_perfect_ones_and_bad_ratings_sink() -> None:
    unrated = listing(1, downloads=0)
    few_perfect = replace(unrated, rating_count=3, rating_average=5.0)
    many_good = replace(unrated, rating_count=200, rating_average=4.6)
    many_bad = replace(unrated, rating_count=200, rating_average=1.5)
    ranked = sorted([unrated, few_perfect, many_good, many_bad], key=lambda item: -score(Match(item, 1.0), NOW))
    assert ranked == [many_good, few_perfect, unrated, many_bad]


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=1, max_value=7), st.sampled_from(list(SortOrder)))
def test_keyset_pages_cover_every_row_once_in_order(count: int, limit: int, order: SortOrder) -> None:
    matches = [Match(listing(number), float(number % 3)) for number in range(count)]
    seen: list[UUID] = []
    after = None
    while True:
        chosen, after = page(matches, order, NOW, limit, after)
        seen.extend(match.listing.extension_id for match in chosen)
        if after is None:
            break
    whole, _ = page(matches, order, NOW, count + 1, None)
    assert seen == [match.listing.extension_id for match in whole] and len(seen) == count


class FixedSearch:
    def __init__(self, listings: list[Listing]) -> None:
        self.listings = listings

    async def page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        return page([Match(item, 1.0) for item in self.listings], order, now, limit, after)[0]


async def test_browse_pages_with_cursors_and_refuses_a_foreign_cursor() -> None:
    browse = BrowseExtensions(FixedSearch([listing(n) for n in range(5)]), ManualClock(NOW))  # type: ignore[arg-type]
    first = await browse(BrowseQuery(limit=2))
    assert [item.downloads for item in first.listings] == [40, 30] and first.next_cursor
    second = await browse(BrowseQuery(limit=2, cursor=first.next_cursor))
    assert [item.downloads for item in second.listings] == [20, 10]
    with pytest.raises(ExtensionInvalid) as foreign:
        await browse(BrowseQuery(order=SortOrder.NAME, limit=2, cursor=first.next_cursor))
    assert foreign.value.field == "cursor"
    with pytest.raises(ExtensionInvalid):
        await browse(BrowseQuery(limit=0))


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        "bm90IGpzb24",
        "WyJkb3dubG9hZHMiLCAxLCAibm90LWEtdXVpZCJd",
        "WyJkb3dubG9hZHMiLCBJbmZpbml0eSwgIjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMSJd",
    ],
)
async def test_a_cursor_that_no_page_answered_is_refused_on_the_cursor_field(cursor: str) -> None:
    browse = BrowseExtensions(FixedSearch([listing(n) for n in range(3)]), ManualClock(NOW))  # type: ignore[arg-type]
    with pytest.raises(ExtensionInvalid) as refused:
        await browse(BrowseQuery(limit=1, cursor=cursor))
    assert refused.value.field == "cursor"


def test_a_word_weighs_by_the_best_field_it_starts_a_word_of() -> None:
    item = listing(1, name="rainbow-brackets", tags=("colour",), description="Bracket pairs in colours.")
    assert relevance(item, ["rain"]) == 3.0
    assert relevance(item, ["colour"]) == 2.0
    assert relevance(item, ["pairs"]) == 1.0
    assert relevance(item, ["rain", "pairs"]) == 2.0
    assert relevance(item, ["bow"]) == 0.0 and relevance(item, ["rain", "missing"]) == 0.0
