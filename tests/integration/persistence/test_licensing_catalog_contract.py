"""One contract for the catalog's repositories (products' pages, policies, entitlements, what
refers to them), run on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.errors import EntitlementCodeTaken, PolicyInUse, ProductInUse
from devforge.application.licensing.ports import (
    EntitlementRepository,
    LicenseReferences,
    LicenseRepository,
    PolicyRepository,
    ProductRepository,
)
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product
from devforge.domain.licensing.terms import LicenseTerms
from tests.integration.backends import BACKENDS, backend_container

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_product(owner_id: UUID, at: datetime = NOW) -> Product:
    return Product(id=uuid4(), owner_id=owner_id, code=f"p-{uuid4().hex[:10]}", name="Editor", created_at=at)


def an_entitlement(product: Product, code: str) -> Entitlement:
    return Entitlement(id=uuid4(), product_id=product.id, code=code, name=code.title(), created_at=NOW)


PORTS: dict[type, type] = {
    Product: ProductRepository,
    Policy: PolicyRepository,
    Entitlement: EntitlementRepository,
    License: LicenseRepository,
}


async def stored(container: AsyncContainer, *rows: Product | Policy | Entitlement | License) -> None:
    """Each row through its own repository, in one committed unit of work."""
    async with container() as scope:
        for row in rows:
            await (await scope.get(PORTS[type(row)])).add(row)
        await (await scope.get(UnitOfWork)).commit()


def a_license(policy: Policy) -> License:
    key = LicenseKey.generate()
    terms = LicenseTerms(policy=policy)
    return License.issue(license_id=uuid4(), user_id=uuid4(), terms=terms, key=key, key_digest=uuid4().hex * 2, now=NOW)


async def test_products_page_by_owner_oldest_first_then_by_id(container: AsyncContainer) -> None:
    owner, other = uuid4(), uuid4()
    tied = sorted((a_product(owner) for _ in range(3)), key=lambda p: p.id.int)
    later = a_product(owner, NOW + timedelta(seconds=1))
    earlier = a_product(owner, NOW - timedelta(seconds=1))
    theirs = a_product(other)
    await stored(container, later, *tied, theirs, earlier)
    mine = [earlier, *tied, later]
    async with container() as scope:
        products = await scope.get(ProductRepository)
        assert await products.list_page(owner_id=owner, limit=10) == mine
        assert await products.list_page(owner_id=owner, limit=2) == mine[:2]
        assert await products.list_page(owner_id=owner, limit=2, after=mine[1]) == mine[2:4]
        assert await products.list_page(owner_id=owner, limit=10, after=later) == []
        everyone = await products.list_page(owner_id=None, limit=10)
    assert set(everyone) == {*mine, theirs} and everyone[0] == earlier


async def test_a_rename_is_stored_and_a_removed_product_takes_its_entitlements(container: AsyncContainer) -> None:
    product = a_product(uuid4())
    await stored(container, product, an_entitlement(product, "ai"))
    async with container() as scope:
        await (await scope.get(ProductRepository)).update(product.renamed("Editor 2"))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        found = await (await scope.get(ProductRepository)).get(product.id, for_update=True)
        assert found is not None and (found.name, found.code) == ("Editor 2", product.code)
        await (await scope.get(ProductRepository)).remove(product.id)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(ProductRepository)).get(product.id) is None
        assert await (await scope.get(EntitlementRepository)).list_for_product(product.id) == []


async def test_a_product_with_a_policy_and_a_policy_with_a_license_stay(container: AsyncContainer) -> None:
    product = a_product(uuid4())
    used = Policy(id=uuid4(), product_id=product.id, name="beta")
    free = Policy(id=uuid4(), product_id=product.id, name="alpha", floating=True, max_machines=5)
    license = a_license(used)
    await stored(container, product, used, free, license)
    async with container() as scope:
        references = await scope.get(LicenseReferences)
        assert await references.product_has_licenses(product.id) and await references.policy_has_licenses(used.id)
        assert not await references.policy_has_licenses(free.id)
        assert not await references.product_has_licenses(uuid4())
        assert await (await scope.get(PolicyRepository)).list_for_product(product.id) == [free, used]
    async with container() as scope:
        with pytest.raises(PolicyInUse):
            await (await scope.get(PolicyRepository)).remove(used.id)
    async with container() as scope:
        with pytest.raises(ProductInUse):
            await (await scope.get(ProductRepository)).remove(product.id)
    async with container() as scope:
        await (await scope.get(PolicyRepository)).remove(free.id)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(PolicyRepository)).list_for_product(product.id) == [used]


async def test_a_policy_update_is_stored_whole(container: AsyncContainer) -> None:
    product = a_product(uuid4())
    policy = Policy(id=uuid4(), product_id=product.id, name="Pro")
    await stored(container, product, policy)
    revised = policy.revised(name="Team", floating=True, max_machines=None, duration=timedelta(days=30))
    async with container() as scope:
        await (await scope.get(PolicyRepository)).update(revised)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(PolicyRepository)).get(policy.id) == revised


async def test_an_entitlement_code_is_unique_within_its_product_only(container: AsyncContainer) -> None:
    product, other = a_product(uuid4()), a_product(uuid4())
    sync, ai = an_entitlement(product, "sync"), an_entitlement(product, "ai")
    await stored(container, product, other, sync, ai, an_entitlement(other, "ai"))
    async with container() as scope:
        with pytest.raises(EntitlementCodeTaken):
            await (await scope.get(EntitlementRepository)).add(an_entitlement(product, "ai"))
    async with container() as scope:
        entitlements = await scope.get(EntitlementRepository)
        assert await entitlements.list_for_product(product.id) == [ai, sync]
        assert await entitlements.get(sync.id) == sync
        await entitlements.remove(sync.id)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        entitlements = await scope.get(EntitlementRepository)
        assert await entitlements.get(sync.id) is None
        assert await entitlements.list_for_product(product.id) == [ai]
