"""Ratings and reviews: only someone who downloaded an extension (signed in) rates it, once,
editing in place; the publisher's members never rate their own; the reviews page counts every
change at once, and the extension's count and average (its read model) and the ranking follow
once the worker has run."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.actor import Actor
from devforge.application.marketplace.browse_extensions import BrowseExtensions, BrowseQuery
from devforge.application.marketplace.manage_extensions import GetExtension
from devforge.application.marketplace.moderate_ratings import ListRatings, RemoveRatingHandler
from devforge.application.marketplace.rate_extension import GetMyRating, RemoveMyRating
from devforge.application.marketplace.search import ExtensionSearch, SearchFilters
from devforge.domain.marketplace.errors import MarketplaceActionRefused
from devforge.domain.marketplace.listing import SortOrder
from devforge.domain.marketplace.rating import RatingInvalid, RatingNotFound, RatingRefused

from .rating_steps import download, published_extension, rate, rater
from .world import Market


def user() -> Actor:
    return Actor(uuid4())


async def listing_rating(market: Market, extension_id: UUID) -> tuple[int, float]:
    await market.settle()
    async with market.container() as scope:
        listing = await (await scope.get(ExtensionSearch)).get(extension_id)
    assert listing is not None
    return listing.rating_count, listing.rating_average


async def test_only_someone_who_downloaded_it_signed_in_may_rate_an_extension(market: Market) -> None:
    extension_id, alice = await published_extension(market), await rater(market)
    with pytest.raises(RatingRefused, match="download it first"):
        await rate(market, alice, extension_id, 5)
    await download(market, extension_id)  # anonymous: nobody is remembered
    with pytest.raises(RatingRefused):
        await rate(market, alice, extension_id, 5)
    await download(market, extension_id, alice)
    assert (await rate(market, alice, extension_id, 5)).rating.stars == 5


async def test_a_download_already_counted_today_still_entitles_the_user_to_rate(market: Market) -> None:
    extension_id, alice = await published_extension(market), await rater(market)
    await download(market, extension_id, client="shared-machine")
    await download(market, extension_id, alice, client="shared-machine")  # the ledger counted this one already
    assert (await rate(market, alice, extension_id, 4)).rating.stars == 4


async def test_the_publishers_own_members_may_not_rate_their_extension(market: Market) -> None:
    extension_id = await published_extension(market)
    await download(market, extension_id, market.developer)
    with pytest.raises(RatingRefused, match="Members of the publisher"):
        await rate(market, market.developer, extension_id, 5)


async def test_one_rating_per_user_edited_in_place_and_the_same_body_twice_changes_nothing(
    market: Market, clock: ManualClock
) -> None:
    extension_id, alice = await published_extension(market), await rater(market)
    await download(market, extension_id, alice)
    first = (await rate(market, alice, extension_id, 2, title="Meh", body="Too\x07 loud.\r\nSorry")).rating
    assert (first.title, first.body, first.edited) == ("Meh", "Too loud.\nSorry", False)
    clock.advance(timedelta(hours=1))
    again = (await rate(market, alice, extension_id, 2, title="Meh", body="Too loud.\nSorry")).rating
    assert (again.id, again.updated_at, again.edited) == (first.id, first.updated_at, False)
    clock.advance(timedelta(hours=1))
    edited = (await rate(market, alice, extension_id, 5, title="Grew on me")).rating
    assert (edited.id, edited.stars, edited.body, edited.edited) == (first.id, 5, "", True)
    assert edited.updated_at == first.created_at + timedelta(hours=2)
    assert await listing_rating(market, extension_id) == (1, 5.0)
    assert (await market.call(GetMyRating, alice, extension_id)).rating.title == "Grew on me"


async def test_bad_stars_and_too_long_text_are_refused_naming_the_field(market: Market) -> None:
    extension_id, alice = await published_extension(market), await rater(market)
    await download(market, extension_id, alice)
    for stars, text, field in ((0, {}, "stars"), (6, {}, "stars"), (3, {"title": "x" * 101}, "title")):
        with pytest.raises(RatingInvalid) as refused:
            await rate(market, alice, extension_id, stars, **text)
        assert refused.value.field == field
    with pytest.raises(RatingInvalid) as refused:
        await rate(market, alice, extension_id, 3, body="y" * 5_001)
    assert refused.value.field == "body"
    assert (await rate(market, alice, extension_id, 3, body="y" * 5_000)).rating.body == "y" * 5_000


async def test_edits_and_deletions_restate_count_average_and_histogram(market: Market) -> None:
    extension_id = await published_extension(market)
    raters = [await rater(market) for _ in range(4)]
    for caller, stars in zip(raters, (5, 4, 4, 1), strict=True):
        await download(market, extension_id, caller)
        await rate(market, caller, extension_id, stars)
    page = await market.call(ListRatings, extension_id)
    assert (page.summary.count, page.summary.average, page.summary.histogram) == (4, 3.5, (1, 0, 0, 2, 1))
    await rate(market, raters[3], extension_id, 5)
    assert await listing_rating(market, extension_id) == (4, 4.5)
    await market.call(RemoveMyRating, raters[0], extension_id)
    assert await listing_rating(market, extension_id) == (3, 4.3333)
    view = await market.call(GetExtension, None, extension_id)
    assert (view.extension.rating_count, view.extension.rating_average) == (3, 4.3333)
    with pytest.raises(RatingNotFound):
        await market.call(GetMyRating, raters[0], extension_id)


async def test_ratings_page_newest_first_without_repeats(market: Market, clock: ManualClock) -> None:
    extension_id = await published_extension(market)
    for stars in (1, 2, 3, 4, 5):
        caller = await rater(market)
        await download(market, extension_id, caller)
        await rate(market, caller, extension_id, stars)
        clock.advance(timedelta(minutes=1))
    first = await market.call(ListRatings, extension_id, 2)
    second = await market.call(ListRatings, extension_id, 2, first.next_cursor)
    last = await market.call(ListRatings, extension_id, 2, second.next_cursor)
    seen = [rating.stars for page in (first, second, last) for rating in page.ratings]
    assert seen == [5, 4, 3, 2, 1] and last.next_cursor is None
    with pytest.raises(RatingInvalid):
        await market.call(ListRatings, extension_id, 2, "not-a-cursor")


async def test_an_administrator_removes_any_rating_with_a_reason(market: Market) -> None:
    extension_id, alice = await published_extension(market), await rater(market)
    await download(market, extension_id, alice)
    rating = (await rate(market, alice, extension_id, 1, body="Buy cheap pills")).rating
    with pytest.raises(MarketplaceActionRefused):
        await market.call(RemoveRatingHandler, user(), extension_id, rating.id, "spam")
    with pytest.raises(RatingInvalid):
        await market.call(RemoveRatingHandler, market.reviewer, extension_id, rating.id, "  ")
    await market.call(RemoveRatingHandler, market.reviewer, extension_id, rating.id, "Spam")
    assert await listing_rating(market, extension_id) == (0, 0.0)
    [removed] = await market.events("marketplace.rating_removed")
    assert removed.payload["reason"] == "Spam" and removed.payload["removed_by"] == str(market.reviewer.user_id)


async def test_ratings_move_an_extension_up_and_down_the_ranking(market: Market) -> None:
    publisher = await market.publisher()
    brackets = await published_extension(market, "rainbow-brackets", publisher)
    guides = await published_extension(market, "indent-guides", publisher)
    raters = [await rater(market) for _ in range(3)]
    for caller in raters:
        for extension_id in (brackets, guides):
            await download(market, extension_id, caller)

    async def ranking() -> list[object]:
        await market.settle()
        query = BrowseQuery(SearchFilters(), SortOrder.RELEVANCE)
        return [listing.extension_id for listing in (await market.call(BrowseExtensions, query)).listings]

    for caller in raters:
        await rate(market, caller, brackets, 1)
        await rate(market, caller, guides, 5)
    assert await ranking() == [guides, brackets]
    for caller in raters:
        await rate(market, caller, brackets, 5)
        await rate(market, caller, guides, 1)
    assert await ranking() == [brackets, guides]
