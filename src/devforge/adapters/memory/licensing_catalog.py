"""Licensing's catalog on the memory store: entitlements, and what refers to products and policies."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.licensing import InMemoryPolicyRepository, InMemoryProductRepository
from devforge.adapters.memory.store import Tables
from devforge.application.licensing.errors import EntitlementCodeTaken
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.license import License
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product


class InMemoryEntitlementRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Entitlement] = store.table("licensing_entitlements")

    async def add(self, entitlement: Entitlement) -> None:
        if any((row.product_id, row.code) == (entitlement.product_id, entitlement.code) for row in self._rows.values()):
            raise EntitlementCodeTaken("The product defines this code already.", field="code")
        self._rows[entitlement.id] = entitlement

    async def get(self, entitlement_id: UUID) -> Entitlement | None:
        return self._rows.get(entitlement_id)

    async def list_for_product(self, product_id: UUID) -> list[Entitlement]:
        return sorted((row for row in self._rows.values() if row.product_id == product_id), key=lambda row: row.code)

    async def remove(self, entitlement_id: UUID) -> None:
        self._rows.pop(entitlement_id, None)


class InMemoryLicenseReferences:
    def __init__(self, store: Tables) -> None:
        self._licenses: dict[UUID, License] = store.table("licensing_licenses")

    async def product_has_licenses(self, product_id: UUID) -> bool:
        return any(row.product_id == product_id for row in self._licenses.values())

    async def policy_has_licenses(self, policy_id: UUID) -> bool:
        return any(row.policy.id == policy_id for row in self._licenses.values())


class InMemoryLicensingCatalogReader:
    """The catalogue's pages on the store as it is (the memory store has no isolation between
    scopes), through the repositories' own reads."""

    def __init__(self, store: Tables) -> None:
        self._products, self._policies = InMemoryProductRepository(store), InMemoryPolicyRepository(store)
        self._entitlements = InMemoryEntitlementRepository(store)

    async def product(self, product_id: UUID) -> Product | None:
        return await self._products.get(product_id)

    async def products(self, *, owner_id: UUID | None, limit: int, after: Product | None = None) -> list[Product]:
        return await self._products.list_page(owner_id=owner_id, limit=limit, after=after)

    async def product_with_policies(self, product_id: UUID) -> tuple[Product, list[Policy]] | None:
        product = await self._products.get(product_id)
        return None if product is None else (product, await self._policies.list_for_product(product_id))

    async def product_with_entitlements(self, product_id: UUID) -> tuple[Product, list[Entitlement]] | None:
        product = await self._products.get(product_id)
        return None if product is None else (product, await self._entitlements.list_for_product(product_id))

    async def policy_with_product(self, policy_id: UUID) -> tuple[Policy, Product] | None:
        policy = await self._policies.get(policy_id)
        product = await self._products.get(policy.product_id) if policy else None
        return None if policy is None or product is None else (policy, product)
