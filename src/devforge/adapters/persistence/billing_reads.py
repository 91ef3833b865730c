"""Billing's pages on the common read path (``read_path.py``): orders, invoices, credit notes and
refunds as their repositories read them, without an ORM session or a transaction.

Each read is one or two statements compiled once and run on a pooled autocommit connection (on
PostgreSQL straight on asyncpg): an order is one; an invoice is one, joined to its lines; a page
of invoices is the page and then the lines of that page (one statement, the page again as a
subquery); a credit note, or an invoice's credit notes, come joined to their lines. Rows map
through the repositories' own mapping functions, so what is read is what the repositories read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, bindparam, or_, select

from devforge.adapters.persistence.billing import _order, _product
from devforge.adapters.persistence.billing_documents import credit_note_of, invoice_of, refund_of
from devforge.adapters.persistence.read_path import PreparedRead, ReadPath, Row
from devforge.adapters.persistence.tables import billing_orders, billing_prices, billing_products
from devforge.adapters.persistence.tables.billing_documents import (
    billing_credit_note_lines,
    billing_credit_notes,
    billing_invoice_lines,
    billing_invoices,
    billing_refunds,
)
from devforge.application.billing.invoice_views import InvoiceCursor
from devforge.domain.billing.catalog import CatalogProduct
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.invoice import Invoice, InvoiceStatus
from devforge.domain.billing.order import Order
from devforge.domain.billing.refund import Refund

_PRICE_COLUMNS = ("currency", "interval", "amount", "tax_inclusive")
_PRODUCTS = select(billing_products, *(billing_prices.c[name].label(f"price_{name}") for name in _PRICE_COLUMNS))
_PRODUCTS = _PRODUCTS.outerjoin(billing_prices, billing_prices.c.product_id == billing_products.c.id)
_PRODUCT = _PRODUCTS.where(billing_products.c.code == bindparam("code"))
_ACTIVE = _PRODUCTS.where(billing_products.c.active == bindparam("active")).order_by(billing_products.c.code)


class SqlaProductReader:
    """Products joined to their prices: one statement, one row a price."""

    def __init__(self, reads: ReadPath) -> None:
        self._product, self._active = reads.prepare(_PRODUCT), reads.prepare(_ACTIVE)

    async def product(self, code: str) -> CatalogProduct | None:
        found = _products(await self._product.rows(code=code))
        return found[0] if found else None

    async def active_products(self) -> list[CatalogProduct]:
        return _products(await self._active.rows(active=True))


def _products(rows: Sequence[Row]) -> list[CatalogProduct]:
    """A product's rows together (one a price, or one without a price), in the order first seen."""
    grouped: dict[UUID, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["id"], []).append(row)
    return [
        _product(held[0], [price for price in _prices(held) if price["currency"] is not None])
        for held in grouped.values()
    ]


def _prices(rows: list[Row]) -> list[dict[str, Any]]:
    return [{name: row[f"price_{name}"] for name in _PRICE_COLUMNS} for row in rows]


_ORDER = select(billing_orders).where(billing_orders.c.id == bindparam("order_id"))
_NEWEST_ORDERS = select(billing_orders).order_by(billing_orders.c.created_at.desc(), billing_orders.c.id.desc())
_EVERYONES_ORDERS = _NEWEST_ORDERS.limit(bindparam("limit")).offset(bindparam("offset"))
_USERS_ORDERS = _EVERYONES_ORDERS.where(billing_orders.c.user_id == bindparam("user_id"))


class SqlaOrderReader:
    def __init__(self, reads: ReadPath) -> None:
        self._order, self._everyones = reads.prepare(_ORDER), reads.prepare(_EVERYONES_ORDERS)
        self._users = reads.prepare(_USERS_ORDERS)

    async def order(self, order_id: UUID) -> Order | None:
        row = await self._order.row(order_id=order_id)
        return _order(row) if row else None

    async def orders_for(self, user_id: UUID | None, *, limit: int, offset: int) -> list[Order]:
        if user_id is None:
            rows = await self._everyones.rows(limit=limit, offset=offset)
        else:
            rows = await self._users.rows(user_id=user_id, limit=limit, offset=offset)
        return [_order(row) for row in rows]


_LINE_COLUMNS = tuple(column.name for column in billing_invoice_lines.c if column.name != "invoice_id")
_INVOICE = (
    select(billing_invoices, *(billing_invoice_lines.c[name].label(f"line_{name}") for name in _LINE_COLUMNS))
    .outerjoin(billing_invoice_lines, billing_invoice_lines.c.invoice_id == billing_invoices.c.id)
    .where(billing_invoices.c.id == bindparam("invoice_id"))
    .order_by(billing_invoice_lines.c.position)
)
_NOTES = select(
    billing_credit_notes,
    billing_credit_note_lines.c.net,
    billing_credit_note_lines.c.tax,
).outerjoin(billing_credit_note_lines, billing_credit_note_lines.c.credit_note_id == billing_credit_notes.c.id)
_NOTE = _NOTES.where(billing_credit_notes.c.id == bindparam("note_id")).order_by(billing_credit_note_lines.c.position)
_INVOICE_NOTES = _NOTES.where(billing_credit_notes.c.invoice_id == bindparam("invoice_id")).order_by(
    billing_credit_notes.c.number, billing_credit_note_lines.c.position
)
_REFUNDS = (
    select(billing_refunds)
    .where(billing_refunds.c.invoice_id == bindparam("invoice_id"))
    .order_by(billing_refunds.c.requested_at, billing_refunds.c.id)
)
_REFUND = select(billing_refunds).where(billing_refunds.c.id == bindparam("refund_id"))


def _page(*, of_user: bool, after: bool) -> Select[Any]:
    """Issued invoices newest first, keyset after (created_at, id): the four shapes of a page."""
    table = billing_invoices.c
    query = select(billing_invoices).where(table.status != bindparam("draft"))
    if of_user:
        query = query.where(table.user_id == bindparam("user_id"))
    if after:
        earlier = and_(table.created_at == bindparam("after_created_at"), table.id < bindparam("after_id"))
        query = query.where(or_(table.created_at < bindparam("after_created_at"), earlier))
    return query.order_by(table.created_at.desc(), table.id.desc()).limit(bindparam("limit"))


def _lines_of(page: Select[Any]) -> Select[Any]:
    ids = page.with_only_columns(billing_invoices.c.id).subquery()
    lines = billing_invoice_lines.c
    return select(billing_invoice_lines).where(lines.invoice_id.in_(select(ids.c.id))).order_by(lines.position)


class SqlaDocumentReader:
    def __init__(self, reads: ReadPath) -> None:
        self._invoice = reads.prepare(_INVOICE)
        self._note, self._notes, self._refunds = (
            reads.prepare(_NOTE),
            reads.prepare(_INVOICE_NOTES),
            reads.prepare(_REFUNDS),
        )
        self._refund = reads.prepare(_REFUND)
        self._pages: dict[tuple[bool, bool], tuple[PreparedRead, PreparedRead]] = {}
        for of_user in (False, True):
            for after in (False, True):
                page = _page(of_user=of_user, after=after)
                self._pages[of_user, after] = reads.prepare(page), reads.prepare(_lines_of(page))

    async def invoice(self, invoice_id: UUID) -> Invoice | None:
        """One statement: the invoice joined to its lines, one row a line."""
        rows = await self._invoice.rows(invoice_id=invoice_id)
        if not rows:
            return None
        lines = [{name: row[f"line_{name}"] for name in _LINE_COLUMNS} for row in rows]
        return invoice_of(rows[0], [line for line in lines if line["position"] is not None])

    async def invoice_page(self, *, user_id: UUID | None, after: InvoiceCursor | None, limit: int) -> list[Invoice]:
        params: dict[str, Any] = {"limit": limit, "draft": InvoiceStatus.DRAFT.value}
        if user_id is not None:
            params["user_id"] = user_id
        if after is not None:
            params |= {"after_created_at": after.created_at, "after_id": after.id}
        page, lines = self._pages[user_id is not None, after is not None]
        rows = await page.rows(**params)
        if not rows:
            return []
        lines_of: dict[UUID, list[Row]] = {}
        for line in await lines.rows(**params):
            lines_of.setdefault(line["invoice_id"], []).append(line)
        return [invoice_of(row, lines_of.get(row["id"], [])) for row in rows]

    async def credit_note(self, note_id: UUID) -> CreditNote | None:
        notes = _credit_notes(await self._note.rows(note_id=note_id))
        return notes[0] if notes else None

    async def credit_notes_for(self, invoice_id: UUID) -> list[CreditNote]:
        return sorted(_credit_notes(await self._notes.rows(invoice_id=invoice_id)), key=lambda note: note.number)

    async def refunds_for(self, invoice_id: UUID) -> list[Refund]:
        return [refund_of(row) for row in await self._refunds.rows(invoice_id=invoice_id)]

    async def refund(self, refund_id: UUID) -> Refund | None:
        row = await self._refund.row(refund_id=refund_id)
        return refund_of(row) if row else None


def _credit_notes(rows: Sequence[Row]) -> list[CreditNote]:
    """Notes joined to their lines, one row a line, a note's rows together in line order."""
    grouped: dict[UUID, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["id"], []).append(row)
    return [credit_note_of(lines[0], [line for line in lines if line["net"] is not None]) for lines in grouped.values()]
