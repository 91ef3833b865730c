"""Steps the ratings and paid-download tests share: a published extension, signed-in downloads,
ratings, and a licensing product with a license, all through the use cases."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from devforge.application.common.actor import Actor
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.generate_license import GenerateLicense, GenerateLicenseHandler
from devforge.application.marketplace.decide_version import Decision
from devforge.application.marketplace.download_extension import DownloadExtension, DownloadRequest, DownloadView
from devforge.application.marketplace.rate_extension import RateExtension, RateExtensionHandler
from devforge.application.marketplace.ratings import RatingView
from devforge.domain.identity.roles import Role
from tests.access_world import add_account

from .world import Market
from .zips import build_zip, clean_files, manifest


async def published_extension(market: Market, name: str = "rainbow-brackets", publisher: UUID | None = None) -> UUID:
    extension_id = await market.extension(publisher or await market.publisher(), name)
    package = json.dumps(manifest(name=name)).encode()
    await market.upload(extension_id, build_zip(clean_files({"extension/package.json": package})))
    assert await market.run_reviews() == 1
    await market.decide(extension_id, Decision.APPROVE)
    return extension_id


async def download(
    market: Market, extension_id: UUID, user: Actor | None = None, client: str = "editor-1"
) -> DownloadView:
    request = DownloadRequest(extension_id, client, user_id=user.user_id if user else None)
    return await market.call(DownloadExtension, request)  # type: ignore[no-any-return]


async def rater(market: Market, *, verified: bool = True) -> Actor:
    """A user whose address is verified (or not): who may rate once they downloaded."""
    user = Actor(uuid4())
    if verified:
        market.outside.accounts.verified.add(user.user_id)
    return user


async def rate(market: Market, user: Actor, extension_id: UUID, stars: int, **text: Any) -> RatingView:
    return await market.call(RateExtensionHandler, user, RateExtension(extension_id, stars, **text))  # type: ignore[no-any-return]


async def product_with_license(
    market: Market, owner: UUID, customer: UUID, term: timedelta | None = None
) -> tuple[UUID, UUID]:
    """(product id, license id): the owner's product and a license of it for the customer (whose
    account is made here: licenses go to accounts that exist)."""
    await add_account(market.container, f"customer-{customer.hex[:8]}@example.com", Role.CUSTOMER, user_id=customer)
    seller = Actor(owner)
    product = await market.call(CreateProductHandler, seller, CreateProduct("brackets-pro", "Brackets Pro"))
    settings = {"duration": term} if term else {}
    policy = await market.call(CreatePolicyHandler, seller, CreatePolicy(product.id, "Pro", settings))
    issued = await market.call(GenerateLicenseHandler, seller, GenerateLicense(policy.id, customer))
    return product.id, issued.license.id
