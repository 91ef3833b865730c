"""The financial reports' reads on SQL: the database sums per day (``GROUP BY``), the report
builders fold the days into weeks or months. A day is the UTC date of the moment (SQLite stores
naive UTC: ``date()``; PostgreSQL: ``to_char(timezone('UTC', ...))``); a posting's kind is its
idempotency id up to the first ``:``. Plain reads in the request's session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, literal, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables import billing_orders, billing_products, billing_subscriptions
from devforge.adapters.persistence.tables.billing_documents import (
    billing_credit_note_lines,
    billing_credit_notes,
    billing_invoice_lines,
    billing_invoices,
    billing_ledger_entries,
    billing_ledger_transactions,
)
from devforge.adapters.persistence.types import as_utc
from devforge.domain.billing.financial_reports import CreditedTax, InvoicedLine, LedgerMovement, SellerBalance
from devforge.domain.billing.reconciliation import PaidOrderFact, RecurringSale, SaleFact

_tx, _entries = billing_ledger_transactions, billing_ledger_entries
_orders, _invoices, _lines = billing_orders, billing_invoices, billing_invoice_lines
_notes, _note_lines, _products = billing_credit_notes, billing_credit_note_lines, billing_products
_CHUNK = 500


class SqlaFinanceReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def _day(self, column: Any) -> ColumnElement[Any]:
        if self._postgres:
            return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
        return func.date(column)

    def _kind(self) -> ColumnElement[Any]:
        key = _tx.c.idempotency_id
        if self._postgres:
            return func.split_part(key, ":", 1)
        return func.substr(key, 1, func.instr(key, ":") - 1)

    async def ledger_movements(self, start: datetime, end: datetime) -> list[LedgerMovement]:
        day, kind = self._day(_tx.c.occurred_at).label("day"), self._kind().label("kind")
        query = (
            select(
                day,
                _tx.c.currency,
                kind,
                _entries.c.account,
                func.sum(_entries.c.amount),
                func.count(func.distinct(_tx.c.id)),
            )
            .join(_entries, _entries.c.transaction_id == _tx.c.id)
            .where(_tx.c.occurred_at >= start, _tx.c.occurred_at < end)
            .group_by(day, _tx.c.currency, kind, _entries.c.account)
        )
        rows = (await self._session.execute(query)).all()
        return [LedgerMovement(_date(d), c, k, a, int(s), int(n)) for d, c, k, a, s, n in rows]

    async def seller_balances(self, before: datetime) -> list[SellerBalance]:
        query = (
            select(_entries.c.currency, _entries.c.account, func.sum(_entries.c.amount))
            .join(_tx, _entries.c.transaction_id == _tx.c.id)
            .where(_entries.c.account.like("seller_payable:%"), _tx.c.occurred_at < before)
            .group_by(_entries.c.currency, _entries.c.account)
        )
        rows = (await self._session.execute(query)).all()
        return [SellerBalance(c, a.removeprefix("seller_payable:"), int(s)) for c, a, s in rows if int(s)]

    async def invoiced_lines(self, start: datetime, end: datetime) -> list[InvoicedLine]:
        day = self._day(_invoices.c.issued_at).label("day")
        net, tax = func.coalesce(_lines.c.net, 0), func.coalesce(_lines.c.tax, 0)
        product = func.coalesce(_lines.c.product_code, literal("")).label("product")
        region = func.coalesce(_orders.c.tax_region, literal("")).label("region")
        query = (
            select(
                day,
                _invoices.c.currency,
                product,
                _products.c.seller_id,
                _orders.c.tax_country,
                region,
                func.count(func.distinct(_invoices.c.id)),
                func.sum(net),
                func.sum(tax),
            )
            .join(_lines, _lines.c.invoice_id == _invoices.c.id)
            .join(_orders, _orders.c.id == _invoices.c.order_id)
            .outerjoin(_products, _products.c.code == _lines.c.product_code)
            .where(_invoices.c.issued_at >= start, _invoices.c.issued_at < end, _invoices.c.order_id.is_not(None))
            .group_by(day, _invoices.c.currency, product, _products.c.seller_id, _orders.c.tax_country, region)
        )
        rows = (await self._session.execute(query)).all()
        return [
            InvoicedLine(_date(d), c, p, s, country, r, int(n), int(nt), int(tx), int(nt) + int(tx))
            for d, c, p, s, country, r, n, nt, tx in rows
        ]

    async def credited_tax(self, start: datetime, end: datetime) -> list[CreditedTax]:
        day = self._day(_notes.c.issued_at).label("day")
        region = func.coalesce(_orders.c.tax_region, literal("")).label("region")
        query = (
            select(
                day,
                _notes.c.currency,
                _orders.c.tax_country,
                region,
                func.count(func.distinct(_notes.c.id)),
                func.sum(_note_lines.c.net),
                func.sum(_note_lines.c.tax),
            )
            .join(_note_lines, _note_lines.c.credit_note_id == _notes.c.id)
            .join(_invoices, _invoices.c.id == _notes.c.invoice_id)
            .join(_orders, _orders.c.id == _invoices.c.order_id)
            .where(_notes.c.issued_at >= start, _notes.c.issued_at < end)
            .group_by(day, _notes.c.currency, _orders.c.tax_country, region)
        )
        rows = (await self._session.execute(query)).all()
        return [CreditedTax(_date(d), c, country, r, int(n), int(nt), int(tx)) for d, c, country, r, n, nt, tx in rows]

    async def paid_orders(self, start: datetime, end: datetime) -> list[PaidOrderFact]:
        return await self._orders_where(and_(_orders.c.paid_at >= start, _orders.c.paid_at < end))

    async def orders_named(self, order_ids: Iterable[UUID]) -> list[PaidOrderFact]:
        found: list[PaidOrderFact] = []
        for chunk in _chunks(list(order_ids)):
            found += await self._orders_where(and_(_orders.c.id.in_(chunk), _orders.c.paid_at.is_not(None)))
        return found

    async def _orders_where(self, condition: Any) -> list[PaidOrderFact]:
        o = _orders.c
        rows = (
            await self._session.execute(select(o.id, o.payment_id, o.currency, o.gross, o.paid_at).where(condition))
        ).all()
        return [PaidOrderFact(i, p, c, int(g), _aware(at)) for i, p, c, g, at in rows]

    async def sales(self, start: datetime, end: datetime) -> list[SaleFact]:
        query = (
            select(_tx.c.idempotency_id, _tx.c.currency, _entries.c.amount, _tx.c.occurred_at)
            .join(_entries, _entries.c.transaction_id == _tx.c.id)
            .where(
                _tx.c.idempotency_id.like("sale:%"),
                _entries.c.account == "processor_clearing",
                _tx.c.occurred_at >= start,
                _tx.c.occurred_at < end,
            )
        )
        found = []
        for key, currency, amount, at in (await self._session.execute(query)).all():
            parts = key.split(":")
            if len(parts) == 2:  # a purchase; a renewal is sale:<order>:<invoice>
                found.append(SaleFact(UUID(parts[1]), currency, int(amount), _aware(at)))
        return found

    async def recurring_sales(self, start: datetime, end: datetime) -> list[RecurringSale]:
        query = (
            select(_tx.c.idempotency_id, _tx.c.currency, _entries.c.account, _entries.c.amount, _tx.c.occurred_at)
            .join(_entries, _entries.c.transaction_id == _tx.c.id)
            .where(
                _tx.c.idempotency_id.like("sale:%"),
                _entries.c.account.in_(("processor_clearing", "tax_payable")),
                _tx.c.occurred_at >= start,
                _tx.c.occurred_at < end,
            )
        )
        sales: dict[str, list[Any]] = {}
        for key, currency, account, amount, at in (await self._session.execute(query)).all():
            sale = sales.setdefault(key, [currency, 0, 0, _aware(at)])
            sale[1 if account == "processor_clearing" else 2] += int(amount)
        orders = {UUID(key.split(":")[1]) for key in sales}
        recurring: set[UUID] = set()
        for chunk in _chunks(list(orders)):
            query_ = select(billing_subscriptions.c.order_id).where(billing_subscriptions.c.order_id.in_(chunk))
            recurring |= {row[0] for row in (await self._session.execute(query_)).all()}
        found = []
        for key, (currency, gross, tax, at) in sales.items():
            _, order, *renewal = key.split(":", 2)
            if UUID(order) in recurring:
                found.append(RecurringSale(UUID(order), renewal[0] if renewal else None, currency, gross, -tax, at))
        return found

    async def fees_of(self, payment_ids: Iterable[str]) -> dict[str, int]:
        fees: dict[str, int] = {}
        for chunk in _chunks(list(payment_ids)):
            keys = [f"fee:{p}" for p in chunk] + [f"fee_true_up:{p}" for p in chunk]
            query = (
                select(_tx.c.idempotency_id, _entries.c.amount)
                .join(_entries, _entries.c.transaction_id == _tx.c.id)
                .where(_tx.c.idempotency_id.in_(keys), _entries.c.account == "processor_fees")
            )
            for key, amount in (await self._session.execute(query)).all():
                payment = key.split(":", 1)[1]
                fees[payment] = fees.get(payment, 0) + int(amount)
        return fees

    async def known_payments(self, payment_ids: Iterable[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(list(payment_ids)):
            query = union(
                select(_orders.c.payment_id).where(_orders.c.payment_id.in_(chunk)),
                select(_invoices.c.payment_id).where(_invoices.c.payment_id.in_(chunk)),
            )
            known |= {row[0] for row in (await self._session.execute(query)).all()}
        return known


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _aware(value: datetime) -> datetime:
    return as_utc(value)
