"""Billing's repositories on the memory store (unit tests, and the memory leg of the contracts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.application.billing.ports import InboxEntry
from devforge.domain.billing.catalog import CatalogProduct
from devforge.domain.billing.errors import CatalogProductCodeTaken, OrderChangedConcurrently
from devforge.domain.billing.order import Order, OrderStatus
from devforge.domain.billing.subscription import Subscription


class InMemoryCatalogRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[str, CatalogProduct] = store.table("billing_products")

    async def add(self, product: CatalogProduct) -> None:
        if product.code in self._rows:
            raise CatalogProductCodeTaken("A product with this code exists.", field="code")
        self._rows[product.code] = detached(product)

    async def get_by_code(self, code: str) -> CatalogProduct | None:
        row = self._rows.get(code)
        return detached(row) if row else None

    async def update(self, product: CatalogProduct) -> None:
        self._rows[product.code] = detached(product)

    async def list_active(self) -> list[CatalogProduct]:
        return [detached(row) for code, row in sorted(self._rows.items()) if row.active]


class InMemoryOrderRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, Order] = store.table("billing_orders")

    async def add(self, order: Order) -> None:
        self._rows[order.id] = detached(order)

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Order | None:
        row = self._rows.get(order_id)
        return detached(row) if row else None

    async def update(self, order: Order) -> None:
        stored = self._rows.get(order.id)
        if stored is None or stored.version != order.version:
            raise OrderChangedConcurrently("The order changed meanwhile; try again.")
        order.version += 1
        self._rows[order.id] = detached(order)

    async def list_for_user(self, user_id: UUID | None, *, limit: int, offset: int) -> list[Order]:
        rows = [row for row in self._rows.values() if user_id is None or row.user_id == user_id]
        rows.sort(key=lambda order: (order.created_at, order.id.int), reverse=True)
        return [detached(row) for row in rows[offset : offset + limit]]

    async def list_checkout_unknown(self, *, older_than: datetime, limit: int) -> list[Order]:
        rows = [
            row
            for row in self._rows.values()
            if row.status is OrderStatus.CHECKOUT_UNKNOWN and row.updated_at <= older_than
        ]
        return [detached(row) for row in sorted(rows, key=lambda order: order.created_at)[:limit]]


class InMemorySubscriptionRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[str, Subscription] = store.table("billing_subscriptions")

    async def add(self, subscription: Subscription) -> None:
        if subscription.provider_subscription_id in self._rows:
            raise OrderChangedConcurrently("This subscription is already recorded.")
        self._rows[subscription.provider_subscription_id] = detached(subscription)

    async def get_by_provider_id(
        self, provider_subscription_id: str, *, for_update: bool = False
    ) -> Subscription | None:
        row = self._rows.get(provider_subscription_id)
        return detached(row) if row else None

    async def get_by_order(self, order_id: UUID, *, for_update: bool = False) -> Subscription | None:
        return next((detached(row) for row in self._rows.values() if row.order_id == order_id), None)

    async def update(self, subscription: Subscription) -> None:
        stored = self._rows.get(subscription.provider_subscription_id)
        if stored is None or stored.version != subscription.version:
            raise OrderChangedConcurrently("The subscription changed meanwhile; try again.")
        subscription.version += 1
        self._rows[subscription.provider_subscription_id] = detached(subscription)


class InMemoryProviderEventInbox:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, InboxEntry] = store.table("billing_inbox")

    async def add(self, entry: InboxEntry) -> bool:
        if any(row.provider_event_id == entry.provider_event_id for row in self._rows.values()):
            return False
        self._rows[entry.id] = entry
        return True

    async def get(self, entry_id: UUID) -> InboxEntry | None:
        return self._rows.get(entry_id)

    async def mark_processed(self, entry_id: UUID, outcome: str, now: datetime) -> None:
        self._rows[entry_id] = replace(self._rows[entry_id], processed_at=now, outcome=outcome)

    async def latest_received_at(self) -> datetime | None:
        return max((row.received_at for row in self._rows.values()), default=None)
