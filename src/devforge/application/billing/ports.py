"""Billing's ports. The repositories are transactional (they join the unit of work); the tax
calculator and the account directory are not (they only read, or talk to another service).
The payment provider's port is in ``payment_gateway.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from devforge.domain.billing.catalog import CatalogProduct
from devforge.domain.billing.order import Order
from devforge.domain.billing.subscription import Subscription
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress, TaxQuote, TaxQuoteRequest


class CatalogRepository(Protocol):
    async def add(self, product: CatalogProduct) -> None:
        """Raises ``CatalogProductCodeTaken`` when the code is taken."""
        ...

    async def get_by_code(self, code: str) -> CatalogProduct | None: ...

    async def update(self, product: CatalogProduct) -> None:
        """Stores the product and replaces its prices."""
        ...

    async def list_active(self) -> list[CatalogProduct]:
        """Active products, by code."""
        ...


class ProductReader(Protocol):
    """Committed catalog products with their prices, read outside any unit of work (on SQL the
    common read path: one statement, no transaction): what a checkout prices its order from, and
    the price list."""

    async def product(self, code: str) -> CatalogProduct | None:
        """Active or not (the caller decides); prices in no particular order."""
        ...

    async def active_products(self) -> list[CatalogProduct]:
        """The active products by code, each with its prices (in no particular order)."""
        ...


class OrderRepository(Protocol):
    """``for_update`` locks the row; ``update`` checks and bumps ``version``, raising
    ``OrderChangedConcurrently`` when another transaction stored the order since it was read."""

    async def add(self, order: Order) -> None: ...

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Order | None: ...

    async def update(self, order: Order) -> None: ...

    async def list_for_user(self, user_id: UUID | None, *, limit: int, offset: int) -> list[Order]:
        """Newest first; ``user_id`` None lists everyone's (admins)."""
        ...

    async def list_checkout_unknown(self, *, older_than: datetime, limit: int) -> list[Order]: ...


class OrderReader(Protocol):
    """Committed orders, for the pages that only show them: plain reads outside any unit of work
    (on SQL the common read path: one statement, no transaction)."""

    async def order(self, order_id: UUID) -> Order | None: ...

    async def orders_for(self, user_id: UUID | None, *, limit: int, offset: int) -> list[Order]:
        """Newest first; ``user_id`` None lists everyone's (admins)."""
        ...


class SubscriptionRepository(Protocol):
    async def add(self, subscription: Subscription) -> None:
        """Raises ``OrderChangedConcurrently`` when the provider's subscription id is taken."""
        ...

    async def get_by_provider_id(
        self, provider_subscription_id: str, *, for_update: bool = False
    ) -> Subscription | None: ...

    async def get_by_order(self, order_id: UUID, *, for_update: bool = False) -> Subscription | None:
        """The subscription an order started (an order starts at most one)."""
        ...

    async def update(self, subscription: Subscription) -> None: ...


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """A verified provider event, as received. ``payload`` is the normalized event as plain JSON."""

    id: UUID
    provider_event_id: str
    type: str
    received_at: datetime
    payload: dict[str, Any]
    processed_at: datetime | None = None
    outcome: str | None = None


class ProviderEventInbox(Protocol):
    async def add(self, entry: InboxEntry) -> bool:
        """False (and nothing stored) when an event with this provider event id is already in."""
        ...

    async def get(self, entry_id: UUID) -> InboxEntry | None: ...

    async def mark_processed(self, entry_id: UUID, outcome: str, now: datetime) -> None: ...

    async def latest_received_at(self) -> datetime | None: ...


class TaxCalculator(Protocol):
    """Quote (what the tax would be), commit (the sale happened: report it), reverse (a refund
    took it back). ``commit`` and ``reverse`` are idempotent by ``transaction_id``."""

    async def quote(self, request: TaxQuoteRequest) -> TaxQuote: ...

    async def commit(self, transaction_id: str, address: TaxAddress, total: TaxedAmount) -> None: ...

    async def reverse(self, transaction_id: str, refund_id: str, address: TaxAddress, refunded: TaxedAmount) -> None:
        """Report that ``refunded`` (this refund only) of the committed sale went back."""
        ...


@dataclass(frozen=True, slots=True)
class AccountContact:
    email: str
    email_verified: bool


class AccountDirectory(Protocol):
    """What billing needs to know of an account (owned by identity), by user id."""

    async def contact(self, user_id: UUID) -> AccountContact | None: ...
