"""Licensing's catalog on the memory store: entitlements, and what refers to products and policies."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.licensing.errors import EntitlementCodeTaken
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.license import License


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
