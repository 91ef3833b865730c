"""Paid extensions: linked to a licensing product of the publisher's own, they download only for
a signed-in holder of an active, unexpired license; a refusal counts nothing and signs nothing."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.actor import Actor
from devforge.application.licensing.reinstate_license import ReinstateLicenseHandler
from devforge.application.licensing.revoke_license import RevokeLicenseHandler
from devforge.application.licensing.suspend_license import SuspendLicenseHandler
from devforge.application.marketplace.browse_extensions import BrowseExtensions, BrowseQuery
from devforge.application.marketplace.manage_extensions import (
    CreateExtension,
    CreateExtensionHandler,
    ExtensionListing,
    UpdateExtensionHandler,
)
from devforge.application.marketplace.search import ExtensionSearch, SearchFilters
from devforge.domain.marketplace.entitlement import EntitlementRequired, LicenseProductInvalid, SignInRequired
from devforge.domain.marketplace.permissions import MarketplacePermission

from .rating_steps import download, product_with_license, published_extension
from .world import Market

LISTING = ExtensionListing("Rainbow Brackets", "Colours brackets.", ("brackets",))


async def paid_extension(market: Market, customer: UUID, term: timedelta | None = None) -> tuple[UUID, UUID, UUID]:
    """(extension id, product id, license id): published, then linked to the developer's product."""
    extension_id = await published_extension(market)
    product_id, license_id = await product_with_license(market, market.developer.user_id, customer, term)
    linked = ExtensionListing(LISTING.display_name, LISTING.description, LISTING.tags, license_product_id=product_id)
    await market.call(UpdateExtensionHandler, market.developer, extension_id, linked)
    return extension_id, product_id, license_id


async def downloads_counted(market: Market, extension_id: UUID) -> int:
    await market.settle()
    async with market.container() as scope:
        search: ExtensionSearch = await scope.get(ExtensionSearch)
        listing = await search.get(extension_id)
    assert listing is not None
    return listing.downloads


async def browsed(market: Market, *, paid: bool) -> list[UUID]:
    await market.settle()
    found = await market.call(BrowseExtensions, BrowseQuery(SearchFilters(paid=paid)))
    return [listing.extension_id for listing in found.listings]


async def test_a_paid_extension_downloads_only_for_a_signed_in_license_holder(market: Market) -> None:
    customer, stranger = Actor(uuid4()), Actor(uuid4())
    extension_id, product_id, _ = await paid_extension(market, customer.user_id)
    with pytest.raises(SignInRequired):
        await download(market, extension_id)
    with pytest.raises(EntitlementRequired) as refused:
        await download(market, extension_id, stranger)
    assert refused.value.product_id == product_id and str(product_id) in refused.value.message
    assert await downloads_counted(market, extension_id) == 0
    assert await market.events("marketplace.extension_downloaded") == []
    assert (await download(market, extension_id, customer)).url
    assert await downloads_counted(market, extension_id) == 1


async def test_the_download_follows_the_license_as_it_is_suspended_reinstated_and_revoked(market: Market) -> None:
    customer = Actor(uuid4())
    extension_id, _, license_id = await paid_extension(market, customer.user_id)
    seller = Actor(market.developer.user_id)
    await market.call(SuspendLicenseHandler, seller, license_id, "Payment failed")
    with pytest.raises(EntitlementRequired):
        await download(market, extension_id, customer)
    await market.call(ReinstateLicenseHandler, seller, license_id)
    assert (await download(market, extension_id, customer)).url
    await market.call(RevokeLicenseHandler, seller, license_id, "Refunded")
    with pytest.raises(EntitlementRequired):
        await download(market, extension_id, customer)


async def test_an_expired_license_no_longer_downloads(market: Market, clock: ManualClock) -> None:
    customer = Actor(uuid4())
    extension_id, _, _ = await paid_extension(market, customer.user_id, term=timedelta(days=30))
    clock.advance(timedelta(days=29))
    assert (await download(market, extension_id, customer)).url
    clock.advance(timedelta(days=1))
    with pytest.raises(EntitlementRequired):
        await download(market, extension_id, customer)


async def test_paid_follows_the_link_into_the_listing_and_the_free_paid_filter(market: Market) -> None:
    extension_id, _, _ = await paid_extension(market, uuid4())
    await market.settle()
    async with market.container() as scope:
        listing = await (await scope.get(ExtensionSearch)).get(extension_id)
    assert listing is not None and listing.paid
    assert await browsed(market, paid=True) == [extension_id]
    assert await browsed(market, paid=False) == []
    view = await market.call(UpdateExtensionHandler, market.developer, extension_id, LISTING)
    assert not view.extension.paid
    assert (await download(market, extension_id)).url  # free again: anyone downloads


async def test_only_the_products_owner_or_an_administrator_links_it(market: Market) -> None:
    publisher_id = await market.publisher()
    someone_elses, _ = await product_with_license(market, uuid4(), uuid4())
    for product_id in (someone_elses, uuid4()):
        listing = ExtensionListing("Pro Brackets", license_product_id=product_id)
        with pytest.raises(LicenseProductInvalid) as refused:
            await market.call(CreateExtensionHandler, market.developer, CreateExtension(publisher_id, "pro", listing))
        assert refused.value.field == "licenseProductId"
    admin = Actor.holding(market.reviewer.user_id, MarketplacePermission.EXTENSIONS_REVIEW)
    listing = ExtensionListing("Pro Brackets", license_product_id=someone_elses)
    view = await market.call(CreateExtensionHandler, admin, CreateExtension(publisher_id, "pro-brackets", listing))
    assert view.extension.paid and view.extension.license_product_id == someone_elses
