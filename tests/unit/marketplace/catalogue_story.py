"""A small marketplace that has lived a little, built through the use cases on any backend: what
the read models are checked against (consumers, redelivery, rebuild). And how to read, and wipe,
every read model it has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore, detached
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.marketplace.decide_version import Decision
from devforge.application.marketplace.download_extension import DownloadExtension, DownloadRequest
from devforge.application.marketplace.manage_extensions import (
    DeleteExtensionHandler,
    ExtensionListing,
    UpdateExtensionHandler,
)
from devforge.application.marketplace.moderate_ratings import RemoveRatingHandler
from devforge.application.marketplace.ports import ExtensionRepository
from devforge.application.marketplace.rate_extension import RemoveMyRating
from devforge.application.marketplace.read_models import DownloadCounts
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.search import ExtensionSearch
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.application.marketplace.withdraw import DeprecateExtensionHandler, YankVersionHandler
from devforge.domain.marketplace.listing import Listing

from .rating_steps import download, rate, rater
from .releases import package
from .world import Market

NAMES = ("rainbow-brackets", "indent-guides", "night-owl", "old-thing")
RELEASES = (("rainbow-brackets", "1.0.0"), ("rainbow-brackets", "1.1.0"), ("indent-guides", "2.0.0"))


@dataclass(frozen=True)
class Catalogue:
    publisher_id: UUID
    ids: dict[str, UUID]

    @property
    def brackets(self) -> UUID:
        return self.ids["rainbow-brackets"]


async def release(market: Market, extension_id: UUID, name: str, version: str) -> None:
    """Upload, review (the worker) and approve (a reviewer); the listing is left to its consumer."""
    await market.upload(extension_id, package(version, name), version=version)
    await market.settle()
    await market.decide(extension_id, Decision.APPROVE, version=version)


async def build_catalogue(market: Market, clock: ManualClock) -> Catalogue:
    """Four extensions of one publisher: rainbow-brackets (two releases, downloaded on two days,
    rated, edited, withdrawn and moderated), indent-guides (edited, then deprecated), night-owl
    (its only version yanked, then downloaded by number) and old-thing (deleted); the publisher's
    domain verified at the end. Nothing is settled after the last step."""
    publisher_id = await market.publisher()
    ids = {name: await market.extension(publisher_id, name) for name in NAMES}
    for name, version in (*RELEASES, ("night-owl", "1.0.0"), ("old-thing", "1.0.0")):
        await release(market, ids[name], name, version)
        clock.advance(timedelta(hours=1))
    brackets, guides, owl = ids["rainbow-brackets"], ids["indent-guides"], ids["night-owl"]
    await market.call(YankVersionHandler, market.developer, VersionSlot(owl, "1.0.0"), "Broken on start-up.")
    await market.call(DeleteExtensionHandler, market.developer, ids["old-thing"])
    listing = ExtensionListing("Indent Guides", "Shows indentation levels.", ("indent", "guides"), ("themes",))
    await market.call(UpdateExtensionHandler, market.developer, guides, listing)
    clock.advance(timedelta(minutes=5))
    await market.call(DeprecateExtensionHandler, market.developer, guides, "Built into the editor now.", None)

    alice, bob, carol, dave = [await rater(market) for _ in range(4)]
    for client in ("editor-a", "editor-b", "editor-a"):  # the second editor-a is not counted again
        await download(market, brackets, client=client)
    await download(market, guides, client="editor-a")
    await market.call(DownloadExtension, DownloadRequest(owl, "editor-c", version="1.0.0"))  # yanked: by number
    for user in (alice, bob, dave):
        await download(market, brackets, user, client=f"user-{user.user_id}")
    await download(market, guides, carol, client="carol")
    clock.advance(timedelta(days=1))
    await download(market, brackets, client="editor-a")  # another day
    await rate(market, alice, brackets, 5, title="Lovely")
    await rate(market, bob, brackets, 3)
    await rate(market, bob, brackets, 4, body="Grew on me.")
    await rate(market, carol, guides, 2)
    await market.call(RemoveMyRating, carol, guides)
    spam = (await rate(market, dave, brackets, 1, body="Buy cheap pills")).rating
    await market.call(RemoveRatingHandler, market.reviewer, brackets, spam.id, "Spam")

    started = await market.call(StartDomainVerificationHandler, market.developer, publisher_id, "acme.example")
    name, value = started.challenge
    market.outside.dns.records[name] = [value]
    await market.call(CheckDomainVerificationHandler, market.developer, publisher_id)
    return Catalogue(publisher_id, ids)


@dataclass(frozen=True)
class ReadModels:
    """What every read model says of each extension: its listing, download total and rating summary."""

    listings: dict[UUID, Listing | None]
    downloads: dict[UUID, int]
    ratings: dict[UUID, tuple[int, float]]


async def read_models(market: Market, catalogue: Catalogue) -> ReadModels:
    listings: dict[UUID, Listing | None] = {}
    downloads: dict[UUID, int] = {}
    ratings: dict[UUID, tuple[int, float]] = {}
    async with market.container() as scope:
        search, counts = await scope.get(ExtensionSearch), await scope.get(DownloadCounts)
        extensions = await scope.get(ExtensionRepository)
        for extension_id in catalogue.ids.values():
            listings[extension_id] = await search.get(extension_id)
            downloads[extension_id] = await counts.total(extension_id)
            extension = await extensions.get(extension_id)
            assert extension is not None
            ratings[extension_id] = (extension.rating_count, extension.rating_average)
    return ReadModels(listings, downloads, ratings)


async def wipe_read_models(market: Market, backend: str) -> None:
    """Every listing, download count and rating summary gone, as on a fresh database."""
    if backend == "memory":
        store = await market.container.get(MemoryStore)
        store.table("marketplace_listings").clear()
        store.table("marketplace_download_counts").clear()
        extensions = store.table("marketplace_extensions")
        for extension_id, stored in list(extensions.items()):
            wiped = detached(stored)
            wiped.rating_count, wiped.rating_average = 0, 0.0
            extensions[extension_id] = wiped
        return
    async with market.container() as scope:
        session = await scope.get(AsyncSession)
        await session.execute(text("DELETE FROM marketplace_listings"))
        await session.execute(text("DELETE FROM marketplace_download_counts"))
        await session.execute(text("UPDATE marketplace_extensions SET rating_count = 0, rating_average = 0"))
        if session.get_bind().dialect.name == "sqlite":
            await session.execute(text("DELETE FROM marketplace_listing_words"))
        await (await scope.get(UnitOfWork)).commit()
