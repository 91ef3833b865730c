"""Billing's ``ExtensionSellers`` port as bootstrap serves it (the marketplace's published
``ExtensionSales`` and licensing's ``LicenseHoldings``), on memory, SQLite and PostgreSQL: who
sells an extension and under which licensing product, which product a policy licenses, and when
a publisher joined."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.billing.extension_sellers import ExtensionSellers, SellableExtension
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.marketplace.ports import ExtensionRepository, PublisherRepository
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.marketplace import SqlaMarketplaceProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.licensing.permissions import LicensingPermission
from tests.conftest import settings_for_tests
from tests.integration.backends import BACKENDS, postgres_database, sqlite_database
from tests.integration.marketplace.test_marketplace_repositories_contract import NOW, extension, publisher


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    if request.param == "memory":
        built = make_container(settings_for_tests(), base=memory_providers())
        yield built
        await built.close()
        return
    database = postgres_database() if request.param == "postgres" else sqlite_database(tmp_path)
    async with database as url:
        built = make_container(
            settings_for_tests(database_url=url),
            SqlaPersistenceProvider(),
            SqlaMarketplaceProvider(),
            SqlaLicensingProvider(),
            base=memory_providers(),
        )
        try:
            yield built
        finally:
            await built.close()


async def test_an_extension_is_sold_by_its_publisher_under_its_licensing_product(container: AsyncContainer) -> None:
    owner = uuid4()
    admin = Actor.holding(owner, LicensingPermission.ADMIN)
    async with container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct("lint-pro", "Lint Pro"))
    async with container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(admin, CreatePolicy(product.id, "Seat", {}))
    acme = publisher("acme", owner)
    paid, free, gone = extension(acme.id, "lint"), extension(acme.id, "theme"), extension(acme.id, "old")
    paid.link_product(product.id, NOW)
    gone.delete(NOW + timedelta(hours=1))
    async with container() as scope:
        await (await scope.get(PublisherRepository)).add(acme)
        for each in (paid, free, gone):
            await (await scope.get(ExtensionRepository)).add(each)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        sellers = await scope.get(ExtensionSellers)
        sold = await sellers.extension(paid.id)
        unlicensed = await sellers.extension(free.id)
        deleted, missing = await sellers.extension(gone.id), await sellers.extension(uuid4())
        licensed_by = await sellers.policy_product(policy.id)
        no_policy = await sellers.policy_product(uuid4())
        joined, nobody = await sellers.publisher_joined_at(acme.id), await sellers.publisher_joined_at(uuid4())
    assert sold == SellableExtension(paid.id, "Rainbow Brackets", acme.id, owner, product.id)
    assert unlicensed is not None and unlicensed.license_product_id is None
    assert (deleted, missing) == (None, None)
    assert (licensed_by, no_policy) == (product.id, None)
    assert (joined, nobody) == (NOW, None)
