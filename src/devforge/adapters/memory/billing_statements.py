"""One seller's payable account over the memory store's ledger (the store as it is: no
isolation between scopes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.billing import InMemoryOrderRepository
from devforge.adapters.memory.store import Tables
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order


class InMemorySellerLedger:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[str, LedgerTransaction] = store.table("billing_ledger_transactions")

    def _touching(self, publisher_id: UUID) -> list[tuple[LedgerTransaction, Money]]:
        account = Account.seller_payable(publisher_id)
        found = []
        for row in self._rows.values():
            amounts = [entry.amount for entry in row.entries if entry.account == account]
            if amounts:
                found.append((row, Money.total(amounts, row.currency)))
        return sorted(found, key=lambda pair: (pair[0].occurred_at, pair[0].id.int))

    async def balance_before(self, publisher_id: UUID, currency: Currency, before: datetime) -> Money:
        moved = (
            amount
            for row, amount in self._touching(publisher_id)
            if row.currency == currency and row.occurred_at < before
        )
        return Money.total(moved, currency)

    async def transactions(
        self, publisher_id: UUID, currency: Currency, *, start: datetime | None, end: datetime
    ) -> list[LedgerTransaction]:
        return [
            row
            for row, _ in self._touching(publisher_id)
            if row.currency == currency and (start is None or start <= row.occurred_at) and row.occurred_at < end
        ]

    async def first_movements(self, publisher_id: UUID) -> dict[Currency, datetime]:
        first: dict[Currency, datetime] = {}
        for row, _ in self._touching(publisher_id):
            first.setdefault(row.currency, row.occurred_at)
        return first


class InMemoryStatementOrders:
    def __init__(self, store: Tables) -> None:
        self._orders = InMemoryOrderRepository(store)

    async def orders(self, order_ids: Sequence[UUID]) -> dict[UUID, Order]:
        found = {order_id: await self._orders.get(order_id) for order_id in dict.fromkeys(order_ids)}
        return {order_id: order for order_id, order in found.items() if order is not None}
