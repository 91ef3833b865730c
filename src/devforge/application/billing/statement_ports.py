"""What a developer's statement and revenue pages read: the ledger's ``seller_payable`` account
of one publisher, the source of truth for what the platform owes it. Reads only: not
transactional, no unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order
from devforge.domain.billing.statement import Statement


class SellerLedger(Protocol):
    """The ledger as one seller's account sees it (``seller_payable:<publisher id>``)."""

    async def balance_before(self, publisher_id: UUID, currency: Currency, before: datetime) -> Money:
        """The account's balance (debits less credits: negative when the platform owes the
        publisher) over the transactions that occurred before ``before``."""
        ...

    async def transactions(
        self, publisher_id: UUID, currency: Currency, *, start: datetime | None, end: datetime
    ) -> list[LedgerTransaction]:
        """Every transaction with an entry on the account, ``start <= occurred_at < end`` (from
        the beginning when ``start`` is None), oldest first (then by id), with all its entries."""
        ...

    async def first_movements(self, publisher_id: UUID) -> dict[Currency, datetime]:
        """When the account first moved, per currency it ever moved in."""
        ...


class StatementOrders(Protocol):
    """The orders behind a statement's sales and refunds, read together (a month of a busy
    publisher's statement names hundreds)."""

    async def orders(self, order_ids: Sequence[UUID]) -> dict[UUID, Order]:
        """The ones that exist, by id."""
        ...


class StatementRenderer(Protocol):
    """Typesets a statement as PDF bytes."""

    async def render_statement(self, statement: Statement, publisher_name: str) -> bytes: ...
