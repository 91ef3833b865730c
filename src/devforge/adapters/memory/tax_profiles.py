"""Tax profiles on the memory store (unit tests, and the memory leg of the contract). Profiles
are frozen values, so they are stored as given."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.domain.billing.tax_profile import TaxProfile


class InMemoryTaxProfileRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, TaxProfile] = store.table("billing_tax_profiles")

    async def get(self, publisher_id: UUID) -> TaxProfile | None:
        return self._rows.get(publisher_id)

    async def save(self, profile: TaxProfile) -> None:
        self._rows[profile.publisher_id] = profile

    async def all(self) -> list[TaxProfile]:
        return [self._rows[key] for key in sorted(self._rows)]


class InMemoryTaxProfileReads:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, TaxProfile] = store.table("billing_tax_profiles")

    async def get(self, publisher_id: UUID) -> TaxProfile | None:
        return self._rows.get(publisher_id)

    async def all(self) -> list[TaxProfile]:
        return [self._rows[key] for key in sorted(self._rows)]
