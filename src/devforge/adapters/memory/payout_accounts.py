"""Payout accounts on the memory store (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.billing.payout_account import PayoutAccount, PayoutAccountChanged, PayoutAccountExists


class InMemoryPayoutAccountRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, PayoutAccount] = store.table("billing_payout_accounts")

    async def add(self, account: PayoutAccount) -> None:
        clash = account.publisher_id in self._rows or any(
            row.provider_account_id == account.provider_account_id for row in self._rows.values()
        )
        if clash:
            raise PayoutAccountExists("This publisher has a payout account already.", field="publisherId")
        self._rows[account.publisher_id] = detached(account)

    async def get_by_publisher(self, publisher_id: UUID, *, for_update: bool = False) -> PayoutAccount | None:
        row = self._rows.get(publisher_id)
        return detached(row) if row else None

    async def get_by_provider_account(
        self, provider_account_id: str, *, for_update: bool = False
    ) -> PayoutAccount | None:
        row = next((row for row in self._rows.values() if row.provider_account_id == provider_account_id), None)
        return detached(row) if row else None

    async def update(self, account: PayoutAccount) -> None:
        stored = self._rows.get(account.publisher_id)
        if stored is None or stored.version != account.version:
            raise PayoutAccountChanged("The payout account changed meanwhile; try again.")
        account.version += 1
        self._rows[account.publisher_id] = detached(account)


class InMemoryPayoutAccountReads:
    """Reads the store as it is (the memory store has no isolation between scopes)."""

    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, PayoutAccount] = store.table("billing_payout_accounts")

    async def by_publisher(self, publisher_id: UUID) -> PayoutAccount | None:
        row = self._rows.get(publisher_id)
        return detached(row) if row else None

    async def list_all(self, *, limit: int, offset: int) -> list[PayoutAccount]:
        rows = sorted(self._rows.values(), key=lambda row: (row.created_at, row.id.int))
        return [detached(row) for row in rows[offset : offset + limit]]
