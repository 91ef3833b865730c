"""Licensing's repositories on the memory store (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import MemoryStore, detached
from devforge.application.licensing.errors import LicenseChangedConcurrently, ProductCodeTaken
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product


class InMemoryProductRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows: dict[UUID, Product] = store.table("licensing_products")

    async def add(self, product: Product) -> None:
        if any(row.code == product.code for row in self._rows.values()):
            raise ProductCodeTaken("A product with this code exists.", field="code")
        self._rows[product.id] = product

    async def get(self, product_id: UUID) -> Product | None:
        return self._rows.get(product_id)


class InMemoryPolicyRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows: dict[UUID, Policy] = store.table("licensing_policies")

    async def add(self, policy: Policy) -> None:
        self._rows[policy.id] = policy

    async def get(self, policy_id: UUID) -> Policy | None:
        return self._rows.get(policy_id)


class InMemoryLicenseRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows: dict[UUID, License] = store.table("licensing_licenses")

    async def add(self, license: License) -> None:
        self._rows[license.id] = detached(license)

    async def get(self, license_id: UUID, *, for_update: bool = False) -> License | None:
        row = self._rows.get(license_id)
        return detached(row) if row else None

    async def get_by_key_digest(self, digest: str, *, for_update: bool = False) -> License | None:
        return next((detached(row) for row in self._rows.values() if row.key_digest == digest), None)

    async def list_for_user(self, user_id: UUID) -> list[License]:
        mine = [detached(row) for row in self._rows.values() if row.user_id == user_id]
        return sorted(mine, key=lambda license: (license.created_at, license.id.int))

    async def update(self, license: License) -> None:
        stored = self._rows.get(license.id)
        if stored is None or stored.version != license.version:
            raise LicenseChangedConcurrently("The license changed meanwhile; try again.")
        license.version += 1
        self._rows[license.id] = detached(license)

    async def ids_with_heartbeat_machines(self, *, limit: int, after: UUID | None = None) -> list[UUID]:
        ids = sorted(
            (row.id for row in self._rows.values() if row.policy.heartbeat_required and row.active_machines),
            key=str,
        )
        return [i for i in ids if after is None or str(i) > str(after)][:limit]

    async def revoked_ids(self) -> list[UUID]:
        return sorted((row.id for row in self._rows.values() if row.status == LicenseStatus.REVOKED), key=str)


class InMemoryLicenseReader:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: MemoryStore) -> None:
        self._rows: dict[UUID, License] = store.table("licensing_licenses")

    async def find_by_key_digest(self, digest: str) -> License | None:
        return next((detached(row) for row in self._rows.values() if row.key_digest == digest), None)
