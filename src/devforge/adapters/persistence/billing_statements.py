"""One seller's payable account on the ledger's tables: its entries joined to their
transactions (for the time), by the ``(account, currency)`` index (migration 0026).

``SqlaSellerLedger`` reads on the common read path (``read_path.py``: one statement on a pooled
connection, no ORM session, no transaction): the ledger is append-only and a statement, a revenue
page or a tax year reads committed postings only. A period's transactions come with all their
entries in one statement (the entries of every transaction touching the account, joined to it).
The orders behind a statement's lines (``SqlaStatementOrders``) are read there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, func, select

from devforge.adapters.persistence.billing import _order
from devforge.adapters.persistence.read_path import ReadPath, Row
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
_ON_ACCOUNT = and_(_ENTRIES.c.account == bindparam("account"), _ENTRIES.c.currency == bindparam("currency"))
_BALANCE_BEFORE = (
    select(func.sum(_ENTRIES.c.amount).label("total"))
    .select_from(_JOINED)
    .where(_ON_ACCOUNT, _TRANSACTIONS.c.occurred_at < bindparam("before"))
)
_FIRST_MOVEMENTS = (
    select(_ENTRIES.c.currency, func.min(_TRANSACTIONS.c.occurred_at).label("first"))
    .select_from(_JOINED)
    .where(_ENTRIES.c.account == bindparam("account"))
    .group_by(_ENTRIES.c.currency)
)


def _period(*, from_start: bool) -> Any:
    """Every entry of every transaction with an entry on the account in ``[start, end)`` (from
    the beginning when ``from_start``), with its transaction, oldest first, then by id, position."""
    period = [_TRANSACTIONS.c.occurred_at < bindparam("end")]
    if not from_start:
        period.append(_TRANSACTIONS.c.occurred_at >= bindparam("start"))
    touching = select(_ENTRIES.c.transaction_id).select_from(_JOINED).where(_ON_ACCOUNT, *period)
    return (
        select(
            _TRANSACTIONS,
            _ENTRIES.c.currency.label("entry_currency"),
            _ENTRIES.c.account.label("entry_account"),
            _ENTRIES.c.amount.label("entry_amount"),
        )
        .select_from(_JOINED)
        .where(_ENTRIES.c.transaction_id.in_(touching))
        .order_by(_TRANSACTIONS.c.occurred_at, _TRANSACTIONS.c.id, _ENTRIES.c.position)
    )


class SqlaSellerLedger:
    def __init__(self, reads: ReadPath) -> None:
        self._balance_before, self._first_movements = reads.prepare(_BALANCE_BEFORE), reads.prepare(_FIRST_MOVEMENTS)
        self._all, self._between = reads.prepare(_period(from_start=True)), reads.prepare(_period(from_start=False))

    async def balance_before(self, publisher_id: UUID, currency: Currency, before: datetime) -> Money:
        row = await self._balance_before.row(account=_account(publisher_id), currency=currency.code, before=before)
        return Money(int(row["total"]) if row and row["total"] is not None else 0, currency)

    async def transactions(
        self, publisher_id: UUID, currency: Currency, *, start: datetime | None, end: datetime
    ) -> list[LedgerTransaction]:
        account = _account(publisher_id)
        if start is None:
            rows = await self._all.rows(account=account, currency=currency.code, end=end)
        else:
            rows = await self._between.rows(account=account, currency=currency.code, start=start, end=end)
        found: list[LedgerTransaction] = []
        entries: list[LedgerEntry] = []
        for index, row in enumerate(rows):
            money = Money(row["entry_amount"], Currency(row["entry_currency"]))
            entries.append(LedgerEntry(Account.parse(row["entry_account"]), money))
            if index + 1 == len(rows) or rows[index + 1]["id"] != row["id"]:
                found.append(_transaction(row, entries))
                entries = []
        return found

    async def first_movements(self, publisher_id: UUID) -> dict[Currency, datetime]:
        rows = await self._first_movements.rows(account=_account(publisher_id))
        return {Currency(row["currency"]): row["first"] for row in rows}


def _account(publisher_id: UUID) -> str:
    return Account.seller_payable(publisher_id).code


def _transaction(row: Row, entries: list[LedgerEntry]) -> LedgerTransaction:
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
    """On the common read path: the orders whose id is one of a list (``ReadPath.one_of``), a
    thousand ids a statement."""

    def __init__(self, reads: ReadPath) -> None:
        self._among = reads.prepare(select(billing_orders).where(reads.one_of(billing_orders.c.id, "ids")))

    async def orders(self, order_ids: Sequence[UUID]) -> dict[UUID, Order]:
        wanted = list(dict.fromkeys(order_ids))
        found: dict[UUID, Order] = {}
        for start in range(0, len(wanted), 1000):
            rows = await self._among.rows(ids=wanted[start : start + 1000])
            found.update((order.id, order) for order in map(_order, rows))
        return found
