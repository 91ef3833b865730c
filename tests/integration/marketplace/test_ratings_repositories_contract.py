"""The ratings and downloaders contract, on memory, SQLite and PostgreSQL: a rating comes back
whole, pages run newest first across equal times without repeats, the summary counts each star,
a downloader is recorded once however often, and a paid extension keeps its product; its rating
summary is written by the read model alone, never by saving the extension."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository
from devforge.application.marketplace.rating_ports import Downloaders, RatingRepository
from devforge.application.marketplace.read_models import RatingSummaries
from devforge.domain.marketplace.rating import Rating, RatingSummary
from tests.integration.backends import BACKENDS
from tests.integration.marketplace.test_marketplace_repositories_contract import (
    NOW,
    extension,
    marketplace_backend,
    publisher,
)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with marketplace_backend(request.param, tmp_path) as built:
        yield built


async def stored_extension(container: AsyncContainer, product_id: UUID | None = None) -> UUID:
    owner = publisher(f"acme-{uuid4().hex[:8]}")
    stored = extension(owner.id, f"ext-{uuid4().hex[:8]}")
    stored.license_product_id = product_id
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(owner)
        await (await scope.get(ExtensionRepository)).add(stored)
        await (await scope.get(UnitOfWork)).commit()
    return stored.id


def rating(extension_id: UUID, stars: int, minutes: int = 0, rating_id: UUID | None = None) -> Rating:
    return Rating.write(
        rating_id=rating_id or uuid4(),
        extension_id=extension_id,
        user_id=uuid4(),
        stars=stars,
        title="Good",
        body="Line one\nLine two",
        now=NOW + timedelta(minutes=minutes),
    )


def stored_fields(kept: Rating) -> dict[str, object]:
    return {name: value for name, value in vars(kept).items() if name != "_pending_events"}


async def test_a_rating_round_trips_and_edits_in_place(container: AsyncContainer) -> None:
    extension_id = await stored_extension(container)
    written = rating(extension_id, 4)
    async with container() as scope:
        await (await scope.get(RatingRepository)).add(written)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ratings = await scope.get(RatingRepository)
        found = await ratings.find(extension_id, written.user_id)
        assert found is not None and stored_fields(found) == stored_fields(written)
        found.edit(stars=2, title="", body="Worse now", now=NOW + timedelta(days=1))
        await ratings.update(found)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ratings = await scope.get(RatingRepository)
        again = await ratings.get(written.id)
        assert again is not None and (again.stars, again.body, again.edited) == (2, "Worse now", True)
        assert again.updated_at == NOW + timedelta(days=1) and again.created_at == NOW
        assert await ratings.find(extension_id, uuid4()) is None
        await ratings.remove(written.id)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(RatingRepository)).get(written.id) is None


async def test_pages_run_newest_first_with_ties_cut_by_id_and_the_summary_counts_stars(
    container: AsyncContainer,
) -> None:
    extension_id, other = await stored_extension(container), await stored_extension(container)
    same_time = [rating(extension_id, stars, 5, UUID(int=stars)) for stars in (3, 4, 5)]
    written = [rating(extension_id, 1, 0), rating(extension_id, 5, 10), *same_time, rating(other, 2)]
    async with container() as scope:
        ratings = await scope.get(RatingRepository)
        for each in written:
            await ratings.add(each)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ratings = await scope.get(RatingRepository)
        first = await ratings.page(extension_id, limit=2, after=None)
        rest = await ratings.page(extension_id, limit=10, after=(first[-1].created_at, first[-1].id))
        order = [(r.created_at - NOW, r.stars) for r in first + rest]
        five = timedelta(minutes=5)
        assert order == [(timedelta(minutes=10), 5), (five, 5), (five, 4), (five, 3), (timedelta(0), 1)]
        summary = await ratings.summary(extension_id)
        assert (summary.histogram, summary.count, summary.average) == ((1, 0, 1, 1, 2), 5, 3.6)
        assert (await ratings.summary(uuid4())).count == 0


async def test_a_downloader_is_recorded_once_and_a_rolled_back_one_not_at_all(container: AsyncContainer) -> None:
    extension_id, user = await stored_extension(container), uuid4()
    async with container() as scope:
        downloaders = await scope.get(Downloaders)
        await downloaders.record(extension_id, user, NOW)
        await downloaders.record(extension_id, user, NOW + timedelta(hours=1))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        downloaders = await scope.get(Downloaders)
        await downloaders.record(extension_id, user, NOW + timedelta(days=1))  # again, in a later transaction
        await downloaders.record(extension_id, stranger := uuid4(), NOW)
        # leaving without commit rolls back
    async with container() as scope:
        downloaders = await scope.get(Downloaders)
        assert await downloaders.has(extension_id, user)
        assert not await downloaders.has(extension_id, stranger)
        assert not await downloaders.has(uuid4(), user)
        assert await downloaders.first_downloaded_at(extension_id, user) == NOW  # the first one's time stays
        assert await downloaders.first_downloaded_at(extension_id, stranger) is None


async def test_a_paid_extension_keeps_its_product_and_saving_it_never_writes_its_rating_summary(
    container: AsyncContainer,
) -> None:
    product = uuid4()
    extension_id = await stored_extension(container, product)
    async with container() as scope:
        extensions = await scope.get(ExtensionRepository)
        loaded = await extensions.get(extension_id, for_update=True)
        assert loaded is not None and loaded.paid and loaded.license_product_id == product
        await (await scope.get(RatingSummaries)).restate(extension_id, RatingSummary((0, 0, 1, 0, 2)))
        loaded.update(display_name="Renamed", description="", tags=(), categories=(), now=NOW)
        await extensions.update(loaded)  # loaded before the summary was restated: its 0 ratings stay unsaid
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        again = await (await scope.get(ExtensionRepository)).get(extension_id)
        assert again is not None and (again.rating_count, again.rating_average) == (3, 4.3333)
        assert again.display_name == "Renamed"
