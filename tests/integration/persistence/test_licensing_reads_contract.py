"""Licensing's plain reads on the common read path (``LicensingCatalogReader``, and the license
pages of ``LicenseReader``): memory, SQLite and PostgreSQL answer alike, with committed data only
and no unit of work of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.ports import (
    LicenseReader,
    LicenseRepository,
    LicenseUsage,
    LicenseUsageCounters,
    LicensingCatalogReader,
    PolicyRepository,
    ProductRepository,
    UsageDelta,
)
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.terms import LicenseTerms
from tests.integration.backends import BACKENDS, backend_container
from tests.integration.persistence.test_licensing_catalog_contract import a_product, an_entitlement, stored
from tests.integration.persistence.test_licensing_contract import NOW, a_policy, seeded, shape


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


async def test_products_are_read_one_at_a_time_and_a_page_at_a_time(container: AsyncContainer) -> None:
    owner, other = uuid4(), uuid4()
    first, second, third = (a_product(owner, NOW + timedelta(seconds=n)) for n in range(3))
    theirs = a_product(other, NOW + timedelta(milliseconds=1500))
    await stored(container, first, second, third, theirs)
    catalog = await container.get(LicensingCatalogReader)
    assert await catalog.product(second.id) == second
    assert await catalog.product(uuid4()) is None
    assert await catalog.products(owner_id=owner, limit=2) == [first, second]
    assert await catalog.products(owner_id=owner, limit=2, after=second) == [third]
    assert await catalog.products(owner_id=None, limit=10) == [first, second, theirs, third]
    assert await catalog.products(owner_id=None, limit=10, after=third) == []


async def test_a_product_comes_with_its_policies_by_name_and_its_entitlements_by_code(
    container: AsyncContainer,
) -> None:
    product, bare = a_product(uuid4()), a_product(uuid4())
    team, solo = a_policy(product), replace(a_policy(product), name="Solo")
    await stored(container, product, bare, team, solo, an_entitlement(product, "sync"), an_entitlement(product, "ai"))
    catalog = await container.get(LicensingCatalogReader)
    assert await catalog.product_with_policies(product.id) == (product, [solo, team])
    found = await catalog.product_with_entitlements(product.id)
    assert found is not None and found[0] == product and [e.code for e in found[1]] == ["ai", "sync"]
    assert await catalog.product_with_policies(bare.id) == (bare, [])
    assert await catalog.product_with_entitlements(bare.id) == (bare, [])
    assert await catalog.product_with_policies(uuid4()) is None
    assert await catalog.product_with_entitlements(uuid4()) is None
    assert await catalog.policy_with_product(team.id) == (team, product)
    assert await catalog.policy_with_product(uuid4()) is None


async def test_the_catalog_reader_never_sees_what_is_not_committed(container: AsyncContainer) -> None:
    product = a_product(uuid4())
    async with container() as scope:
        await (await scope.get(ProductRepository)).add(product)
        await (await scope.get(PolicyRepository)).add(a_policy(product))
        await (await scope.get(UnitOfWork)).rollback()
    catalog = await container.get(LicensingCatalogReader)
    assert await catalog.product(product.id) is None
    assert await catalog.products(owner_id=product.owner_id, limit=10) == []


async def test_a_customers_licenses_come_with_their_machines_oldest_first(container: AsyncContainer) -> None:
    license = await seeded(container)
    later = License.issue(
        license_id=uuid4(), user_id=license.user_id, terms=LicenseTerms(policy=license.policy),
        key=LicenseKey.generate(), key_digest="c" * 64, now=NOW + timedelta(days=1),
    )  # fmt: skip
    async with container() as scope:
        await (await scope.get(LicenseRepository)).add(later)
        stored_license = await (await scope.get(LicenseRepository)).get(license.id, for_update=True)
        assert stored_license is not None
        stored_license.activate("desktop", NOW + timedelta(minutes=1), machine_id=uuid4())
        await (await scope.get(LicenseRepository)).update(stored_license)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(LicenseReader)
    mine = await reader.list_for_user(license.user_id)
    assert [found.id for found in mine] == [license.id, later.id]
    assert shape(mine[0]) == shape(stored_license)
    assert [m.fingerprint for m in mine[0].machines] == ["laptop", "desktop"] and mine[1].machines == []
    assert await reader.list_for_user(uuid4()) == []


async def test_a_shown_license_comes_with_its_products_owner_and_its_usage(container: AsyncContainer) -> None:
    license = await seeded(container)
    reader = await container.get(LicenseReader)
    shown = await reader.shown_by_key_digest("d" * 64)
    assert shown is not None and shape(shown.license) == shape(license) and shown.usage == LicenseUsage()
    async with container() as scope:
        product = await (await scope.get(ProductRepository)).get(license.product_id)
        await (await scope.get(LicenseUsageCounters)).add([UsageDelta(license.id, 3, 1, NOW)])
        await (await scope.get(UnitOfWork)).commit()
    assert product is not None
    for shown in (await reader.shown_by_key_digest("d" * 64), await reader.shown_by_id(license.id)):
        assert shown is not None and shown.product_owner_id == product.owner_id
        assert shown.usage == LicenseUsage(3, 1, NOW)
        assert [m.fingerprint for m in shown.license.machines] == ["laptop"]
    assert await reader.shown_by_key_digest("e" * 64) is None
    assert await reader.shown_by_id(uuid4()) is None
