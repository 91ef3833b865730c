"""One seller's payable account on the ledger's tables: its entries joined to their
transactions (for the time), by the ``(account, currency)`` index (migration 0026)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.billing import _order
from devforge.adapters.persistence.tables import billing_orders
from devforge.adapters.persistence.tables.billing_documents import (
    billing_ledger_entries,
    billing_ledger_transactions,
)
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account, LedgerEntry, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order

_ENTRIES = billing_ledger_entries
_TRANSACTIONS = billing_ledger_transactions
_JOINED = _ENTRIES.join(_TRANSACTIONS, _TRANSACTIONS.c.id == _ENTRIES.c.transaction_id)


class SqlaSellerLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def balance_before(self, publisher_id: UUID, currency: Currency, before: datetime) -> Money:
        query = (
            select(func.coalesce(func.sum(_ENTRIES.c.amount), 0))
            .select_from(_JOINED)
            .where(*_on_account(publisher_id, currency), _TRANSACTIONS.c.occurred_at < before)
        )
        return Money(int((await self._session.execute(query)).scalar_one()), currency)

    async def transactions(
        self, publisher_id: UUID, currency: Currency, *, start: datetime | None, end: datetime
    ) -> list[LedgerTransaction]:
        period = [_TRANSACTIONS.c.occurred_at < end]
        if start is not None:
            period.append(_TRANSACTIONS.c.occurred_at >= start)
        touching = (
            select(_ENTRIES.c.transaction_id).select_from(_JOINED).where(*_on_account(publisher_id, currency), *period)
        )
        rows = (
            (
                await self._session.execute(
                    select(_TRANSACTIONS)
                    .where(_TRANSACTIONS.c.id.in_(touching))
                    .order_by(_TRANSACTIONS.c.occurred_at, _TRANSACTIONS.c.id)
                )
            )
            .mappings()
            .all()
        )
        if not rows:
            return []
        entries = (
            await self._session.execute(
                select(_ENTRIES)
                .where(_ENTRIES.c.transaction_id.in_(touching))
                .order_by(_ENTRIES.c.transaction_id, _ENTRIES.c.position)
            )
        ).mappings()
        by_transaction: dict[UUID, list[LedgerEntry]] = {}
        for entry in entries:
            money = Money(entry["amount"], Currency(entry["currency"]))
            by_transaction.setdefault(entry["transaction_id"], []).append(
                LedgerEntry(Account.parse(entry["account"]), money)
            )
        return [_transaction(row, by_transaction.get(row["id"], [])) for row in rows]

    async def first_movements(self, publisher_id: UUID) -> dict[Currency, datetime]:
        query = (
            select(_ENTRIES.c.currency, func.min(_TRANSACTIONS.c.occurred_at))
            .select_from(_JOINED)
            .where(_ENTRIES.c.account == Account.seller_payable(publisher_id).code)
            .group_by(_ENTRIES.c.currency)
        )
        return {Currency(code): first for code, first in (await self._session.execute(query)).all()}


def _on_account(publisher_id: UUID, currency: Currency) -> list[Any]:
    return [_ENTRIES.c.account == Account.seller_payable(publisher_id).code, _ENTRIES.c.currency == currency.code]


def _transaction(row: Any, entries: list[LedgerEntry]) -> LedgerTransaction:
    return LedgerTransaction(
        id=row["id"],
        idempotency_id=row["idempotency_id"],
        currency=Currency(row["currency"]),
        entries=tuple(entries),
        description=row["description"],
        occurred_at=row["occurred_at"],
        reverses=row["reverses"],
    )


class SqlaStatementOrders:
    """``WHERE id IN (...)``, a thousand ids a statement."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def orders(self, order_ids: Sequence[UUID]) -> dict[UUID, Order]:
        wanted = list(dict.fromkeys(order_ids))
        found: dict[UUID, Order] = {}
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            query = select(billing_orders).where(billing_orders.c.id.in_(chunk))
            rows = (await self._session.execute(query)).mappings().all()
            found.update((order.id, order) for order in map(_order, rows))
        return found
