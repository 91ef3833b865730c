"""Billing's tables <-> the catalog, orders, subscriptions, the inbox; and the account
directory, which reads identity's ``users`` table (the adapters may; the application may not)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import insert_unless_taken
from devforge.adapters.persistence.tables import (
    billing_inbox,
    billing_orders,
    billing_prices,
    billing_products,
    billing_subscriptions,
)
from devforge.application.billing.ports import InboxEntry
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CatalogProductCodeTaken, OrderChangedConcurrently
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order, OrderLine, OrderStatus
from devforge.domain.billing.subscription import Subscription, SubscriptionStatus
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.vat_id import VatIdCheck, VatIdStatus

_PRODUCT_COLUMNS = ("id", "code", "name", "policy_id", "refund_window_days", "active", "created_at", "seller_id")


class SqlaCatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, product: CatalogProduct) -> None:
        values = {name: getattr(product, name) for name in _PRODUCT_COLUMNS} | {"kind": product.kind.value}
        added = await self._session.execute(insert_unless_taken(self._session, billing_products, values))
        if added.rowcount != 1:  # type: ignore[attr-defined]
            raise CatalogProductCodeTaken("A product with this code exists.", field="code")
        await self._save_prices(product)

    async def get_by_code(self, code: str) -> CatalogProduct | None:
        row = (await self._session.execute(select(billing_products).where(billing_products.c.code == code))).mappings()
        found = row.first()
        return await self._product(found) if found else None

    async def update(self, product: CatalogProduct) -> None:
        values = {name: getattr(product, name) for name in _PRODUCT_COLUMNS} | {"kind": product.kind.value}
        await self._session.execute(update(billing_products).where(billing_products.c.id == product.id).values(values))
        await self._session.execute(delete(billing_prices).where(billing_prices.c.product_id == product.id))
        await self._save_prices(product)

    async def list_active(self) -> list[CatalogProduct]:
        """Two statements whatever the number of products: the products, then all their prices."""
        query = select(billing_products).where(billing_products.c.active).order_by(billing_products.c.code)
        rows = (await self._session.execute(query)).mappings().all()
        prices: dict[Any, list[Any]] = {row["id"]: [] for row in rows}
        if prices:
            held = select(billing_prices).where(billing_prices.c.product_id.in_(list(prices)))
            for price in (await self._session.execute(held)).mappings():
                prices[price["product_id"]].append(price)
        return [_product(row, prices[row["id"]]) for row in rows]

    async def _save_prices(self, product: CatalogProduct) -> None:
        if product.prices:
            rows = [
                {
                    "product_id": product.id,
                    "currency": price.currency.code,
                    "interval": price.interval.value,
                    "amount": price.amount.amount_minor,
                    "tax_inclusive": price.tax_inclusive,
                }
                for price in product.prices
            ]
            await self._session.execute(insert(billing_prices), rows)

    async def _product(self, row: Any) -> CatalogProduct:
        query = select(billing_prices).where(billing_prices.c.product_id == row["id"])
        return _product(row, list((await self._session.execute(query)).mappings()))


def _product(row: Any, price_rows: list[Any]) -> CatalogProduct:
    prices = [
        Price(
            amount=Money(price["amount"], Currency(price["currency"])),
            interval=BillingInterval(price["interval"]),
            tax_inclusive=price["tax_inclusive"],
        )
        for price in price_rows
    ]
    fields = {name: row[name] for name in _PRODUCT_COLUMNS}
    return CatalogProduct(**fields, kind=ProductKind(row["kind"]), prices=prices)


# Built once, the values sent as parameters: SQLAlchemy compiles each once per process instead of
# building and cache-keying some thirty bound values per call (most of an order write's Python).
_INSERT_ORDER = insert(billing_orders)
_UPDATE_ORDER = update(billing_orders).where(
    billing_orders.c.id == bindparam("order_id"), billing_orders.c.version == bindparam("read_version")
)


class SqlaOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, order: Order) -> None:
        await self._session.execute(_INSERT_ORDER, _order_row(order))

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Order | None:
        query = select(billing_orders).where(billing_orders.c.id == order_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return _order(row) if row else None

    async def update(self, order: Order) -> None:
        values = _order_row(order) | {"version": order.version + 1}
        del values["id"]
        values |= {"order_id": order.id, "read_version": order.version}
        result = await self._session.execute(_UPDATE_ORDER, values)
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise OrderChangedConcurrently("The order changed meanwhile; try again.")
        order.version += 1

    async def list_for_user(self, user_id: UUID | None, *, limit: int, offset: int) -> list[Order]:
        query = select(billing_orders)
        if user_id is not None:
            query = query.where(billing_orders.c.user_id == user_id)
        query = query.order_by(billing_orders.c.created_at.desc(), billing_orders.c.id.desc()).limit(limit)
        rows = (await self._session.execute(query.offset(offset))).mappings().all()
        return [_order(row) for row in rows]

    async def list_checkout_unknown(self, *, older_than: datetime, limit: int) -> list[Order]:
        query = (
            select(billing_orders)
            .where(
                billing_orders.c.status == OrderStatus.CHECKOUT_UNKNOWN.value,
                billing_orders.c.updated_at <= older_than,
            )
            .order_by(billing_orders.c.created_at)
            .limit(limit)
        )
        return [_order(row) for row in (await self._session.execute(query)).mappings().all()]


def _order_row(order: Order) -> dict[str, Any]:
    lines = [
        {
            "product_code": line.product_code,
            "product_name": line.product_name,
            "policy_id": line.policy_id,
            "interval": line.interval.value,
            "unit_amount": line.unit_amount.amount_minor,
            "quantity": line.quantity,
            "net": line.amounts.net.amount_minor,
            "tax": line.amounts.tax.amount_minor,
            "seller_id": str(line.seller_id) if line.seller_id else None,
            "commission_bp": line.commission_bp,
        }
        for line in order.lines
    ]
    return {
        "id": order.id,
        "user_id": order.user_id,
        "email": order.email,
        "currency": order.currency.code,
        "status": order.status.value,
        "lines": lines,
        "net": order.total.net.amount_minor,
        "tax": order.total.tax.amount_minor,
        "gross": order.total.gross.amount_minor,
        "prices_include_tax": order.prices_include_tax,
        "tax_country": order.tax_country,
        "tax_region": order.tax_region,
        "vat_id": order.vat_id,
        "reverse_charge": order.reverse_charge,
        "tax_quote_id": order.tax_quote_id,
        "provider": order.provider,
        "provider_session_id": order.provider_session_id,
        "redirect_url": order.redirect_url,
        "payment_id": order.payment_id,
        "paid_at": order.paid_at,
        "refunded": order.refunded_amount.amount_minor,
        "disputed": order.disputed,
        "dispute_lost": order.dispute_lost,
        **_vat_id_check_row(order.vat_id_check),
        "tax_note": order.tax_note,
        "dispute_id": order.dispute_id,
        "payment_problem": order.payment_problem[:500] if order.payment_problem else None,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": order.version,
    }


def _order(row: Any) -> Order:
    currency = Currency(row["currency"])

    def money(amount: int) -> Money:
        return Money(amount, currency)

    lines = tuple(
        OrderLine(
            product_code=line["product_code"],
            product_name=line["product_name"],
            policy_id=line["policy_id"],
            interval=BillingInterval(line["interval"]),
            unit_amount=money(line["unit_amount"]),
            quantity=line["quantity"],
            amounts=TaxedAmount.of(money(line["net"]), money(line["tax"])),
            seller_id=UUID(line["seller_id"]) if line.get("seller_id") else None,  # orders before 0025 have none
            commission_bp=line.get("commission_bp"),
        )
        for line in row["lines"]
    )
    return Order(
        id=row["id"],
        user_id=row["user_id"],
        email=row["email"],
        currency=currency,
        lines=lines,
        total=TaxedAmount(net=money(row["net"]), tax=money(row["tax"]), gross=money(row["gross"])),
        prices_include_tax=row["prices_include_tax"],
        tax_country=row["tax_country"],
        tax_region=row["tax_region"],
        vat_id=row["vat_id"],
        reverse_charge=row["reverse_charge"],
        tax_quote_id=row["tax_quote_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        status=OrderStatus(row["status"]),
        provider=row["provider"],
        provider_session_id=row["provider_session_id"],
        redirect_url=row["redirect_url"],
        payment_id=row["payment_id"],
        paid_at=row["paid_at"],
        refunded=money(row["refunded"]) if row["refunded"] else None,
        disputed=row["disputed"],
        dispute_lost=row["dispute_lost"],
        vat_id_check=_vat_id_check(row),
        tax_note=row["tax_note"],
        dispute_id=row["dispute_id"],
        payment_problem=row["payment_problem"],
        version=row["version"],
    )


def _vat_id_check_row(check: VatIdCheck | None) -> dict[str, Any]:
    return {
        "vat_id_status": check.status.value if check else None,
        "vat_id_checked_at": check.checked_at if check else None,
        "vies_consultation_number": check.consultation_number if check else None,
    }


def _vat_id_check(row: Any) -> VatIdCheck | None:
    if row["vat_id_status"] is None or row["vat_id"] is None:
        return None
    status = VatIdStatus(row["vat_id_status"])
    return VatIdCheck(row["vat_id"], status, row["vat_id_checked_at"], row["vies_consultation_number"])


_SUBSCRIPTION_COLUMNS = (
    "id",
    "order_id",
    "user_id",
    "provider_subscription_id",
    "created_at",
    "current_period_end",
    "past_due_since",
    "ended_at",
    "grace_over_reported",
    "version",
)


class SqlaSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, subscription: Subscription) -> None:
        row = _subscription_row(subscription)
        added = await self._session.execute(insert_unless_taken(self._session, billing_subscriptions, row))
        if added.rowcount != 1:  # type: ignore[attr-defined]
            raise OrderChangedConcurrently("This subscription is already recorded.")

    async def get_by_provider_id(
        self, provider_subscription_id: str, *, for_update: bool = False
    ) -> Subscription | None:
        return await self._one(billing_subscriptions.c.provider_subscription_id == provider_subscription_id, for_update)

    async def get_by_order(self, order_id: UUID, *, for_update: bool = False) -> Subscription | None:
        return await self._one(billing_subscriptions.c.order_id == order_id, for_update)

    async def _one(self, condition: Any, for_update: bool) -> Subscription | None:
        query = select(billing_subscriptions).where(condition)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        if row is None:
            return None
        fields = {name: row[name] for name in _SUBSCRIPTION_COLUMNS}
        return Subscription(
            **fields, interval=BillingInterval(row["interval"]), status=SubscriptionStatus(row["status"])
        )

    async def update(self, subscription: Subscription) -> None:
        result = await self._session.execute(
            update(billing_subscriptions)
            .where(
                billing_subscriptions.c.id == subscription.id,
                billing_subscriptions.c.version == subscription.version,
            )
            .values(_subscription_row(subscription) | {"version": subscription.version + 1})
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise OrderChangedConcurrently("The subscription changed meanwhile; try again.")
        subscription.version += 1


def _subscription_row(subscription: Subscription) -> dict[str, Any]:
    row = {name: getattr(subscription, name) for name in _SUBSCRIPTION_COLUMNS}
    return row | {"interval": subscription.interval.value, "status": subscription.status.value}


class SqlaProviderEventInbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: InboxEntry) -> bool:
        values = {
            "id": entry.id,
            "provider_event_id": entry.provider_event_id,
            "type": entry.type,
            "payload": entry.payload,
            "received_at": entry.received_at,
            "processed_at": entry.processed_at,
            "outcome": entry.outcome,
        }
        added = await self._session.execute(insert_unless_taken(self._session, billing_inbox, values))
        return added.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    async def get(self, entry_id: UUID) -> InboxEntry | None:
        row = (await self._session.execute(select(billing_inbox).where(billing_inbox.c.id == entry_id))).mappings()
        found = row.first()
        return InboxEntry(**found) if found else None

    async def mark_processed(self, entry_id: UUID, outcome: str, now: datetime) -> None:
        await self._session.execute(
            update(billing_inbox).where(billing_inbox.c.id == entry_id).values(processed_at=now, outcome=outcome[:100])
        )

    async def latest_received_at(self) -> datetime | None:
        query = select(billing_inbox.c.received_at).order_by(billing_inbox.c.received_at.desc()).limit(1)
        return (await self._session.execute(query)).scalar_one_or_none()
