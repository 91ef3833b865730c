"""Licensing's repositories on the memory store (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.application.licensing.errors import (
    LicenseChangedConcurrently,
    PolicyInUse,
    ProductCodeTaken,
    ProductInUse,
)
from devforge.application.licensing.ports import LicenseUsage, ShownLicense, UsageDelta, WithdrawnLicenses
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product


class InMemoryProductRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Product] = store.table("licensing_products")
        self._entitlements: dict[UUID, Entitlement] = store.table("licensing_entitlements")
        self._referring: tuple[dict[UUID, Any], ...] = (
            store.table("licensing_policies"),
            store.table("licensing_licenses"),
        )

    async def add(self, product: Product) -> None:
        if any(row.code == product.code for row in self._rows.values()):
            raise ProductCodeTaken("A product with this code exists.", field="code")
        self._rows[product.id] = product

    async def get(self, product_id: UUID, *, for_update: bool = False) -> Product | None:
        return self._rows.get(product_id)

    async def list_page(self, *, owner_id: UUID | None, limit: int, after: Product | None = None) -> list[Product]:
        rows = sorted(
            (row for row in self._rows.values() if owner_id is None or row.owner_id == owner_id),
            key=lambda row: (row.created_at, row.id.int),
        )
        start = (after.created_at, after.id.int) if after else None
        return [row for row in rows if start is None or (row.created_at, row.id.int) > start][:limit]

    async def update(self, product: Product) -> None:
        self._rows[product.id] = product

    async def remove(self, product_id: UUID) -> None:
        """The foreign keys of the SQL schema, by hand: refused while referred to, cascading to
        the product's entitlements."""
        if any(row.product_id == product_id for table in self._referring for row in table.values()):
            raise ProductInUse("Policies or licenses still refer to this product.")
        for entitlement_id in [i for i, row in self._entitlements.items() if row.product_id == product_id]:
            del self._entitlements[entitlement_id]
        self._rows.pop(product_id, None)


class InMemoryPolicyRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Policy] = store.table("licensing_policies")
        self._licenses: dict[UUID, License] = store.table("licensing_licenses")

    async def add(self, policy: Policy) -> None:
        self._rows[policy.id] = policy

    async def get(self, policy_id: UUID) -> Policy | None:
        return self._rows.get(policy_id)

    async def list_for_product(self, product_id: UUID) -> list[Policy]:
        mine = (row for row in self._rows.values() if row.product_id == product_id)
        return sorted(mine, key=lambda row: (row.name, row.id.int))

    async def update(self, policy: Policy) -> None:
        self._rows[policy.id] = policy

    async def remove(self, policy_id: UUID) -> None:
        if any(row.policy.id == policy_id for row in self._licenses.values()):
            raise PolicyInUse("Licenses were issued from this policy.")
        self._rows.pop(policy_id, None)


class InMemoryLicenseRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, License] = store.table("licensing_licenses")

    async def add(self, license: License) -> None:
        self._rows[license.id] = detached(license)

    async def get(self, license_id: UUID, *, for_update: bool = False) -> License | None:
        row = self._rows.get(license_id)
        return detached(row) if row else None

    async def key_digests(self, license_ids: Sequence[UUID]) -> list[str]:
        return [
            self._rows[license_id].key_digest for license_id in dict.fromkeys(license_ids) if license_id in self._rows
        ]

    async def get_by_key_digest(self, digest: str, *, for_update: bool = False) -> License | None:
        return next((detached(row) for row in self._rows.values() if row.key_digest == digest), None)

    async def withdrawn_ids(self) -> WithdrawnLicenses:
        def having(status: LicenseStatus) -> list[UUID]:
            return sorted((row.id for row in self._rows.values() if row.status == status), key=str)

        return WithdrawnLicenses(revoked=having(LicenseStatus.REVOKED), suspended=having(LicenseStatus.SUSPENDED))

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

    async def ids_due_an_expiry_notice(self, now: datetime, notice: timedelta, *, limit: int) -> list[UUID]:
        def due(row: License) -> bool:
            expiry = row.expires_at
            if expiry is None or row.status == LicenseStatus.REVOKED or expiry > now + notice:
                return False
            return row.expired_notice_for != expiry if expiry <= now else row.expiring_notice_for != expiry

        rows = sorted((row for row in self._rows.values() if due(row)), key=lambda row: (row.expires_at, str(row.id)))
        return [row.id for row in rows[:limit]]


class InMemoryLicenseReader:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, License] = store.table("licensing_licenses")
        self._products: dict[UUID, Product] = store.table("licensing_products")
        self._usage: dict[UUID, LicenseUsage] = store.table("licensing_usage")

    async def find_by_key_digest(self, digest: str) -> License | None:
        return next((detached(row) for row in self._rows.values() if row.key_digest == digest), None)

    async def list_for_user(self, user_id: UUID) -> list[License]:
        mine = [detached(row) for row in self._rows.values() if row.user_id == user_id]
        return sorted(mine, key=lambda license: (license.created_at, license.id.int))

    async def shown_by_key_digest(self, digest: str) -> ShownLicense | None:
        return self._shown(await self.find_by_key_digest(digest))

    async def shown_by_id(self, license_id: UUID) -> ShownLicense | None:
        row = self._rows.get(license_id)
        return self._shown(detached(row) if row else None)

    def _shown(self, license: License | None) -> ShownLicense | None:
        if license is None:
            return None
        product = self._products.get(license.product_id)
        usage = self._usage.get(license.id, LicenseUsage())
        return ShownLicense(license, product.owner_id if product else None, usage)

    async def withdrawn_ids(self) -> WithdrawnLicenses:
        def having(status: LicenseStatus) -> list[UUID]:
            return sorted((row.id for row in self._rows.values() if row.status == status), key=str)

        return WithdrawnLicenses(revoked=having(LicenseStatus.REVOKED), suspended=having(LicenseStatus.SUSPENDED))


class InMemoryLicenseUsageCounters:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, LicenseUsage] = store.table("licensing_usage")
        self._licenses: dict[UUID, License] = store.table("licensing_licenses")

    async def add(self, deltas: Sequence[UsageDelta]) -> None:
        for delta in deltas:
            if delta.license_id not in self._licenses:
                continue  # as the SQL adapters do: a vanished license's counts are dropped
            current = self._rows.get(delta.license_id, LicenseUsage())
            last = max(filter(None, (current.last_validated_at, delta.last_validated_at)))
            self._rows[delta.license_id] = LicenseUsage(
                current.validations + delta.validations, current.failed_validations + delta.failures, last
            )

    async def get(self, license_id: UUID) -> LicenseUsage:
        return self._rows.get(license_id, LicenseUsage())
