"""What the financial reports read: sums the database makes per day, and the facts the
reconciliation compares. Plain reads (no unit of work, nothing locked); ``[start, end)`` in UTC."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.billing.financial_reports import CreditedTax, InvoicedLine, LedgerMovement, SellerBalance
from devforge.domain.billing.reconciliation import PaidOrderFact, RecurringSale, SaleFact


class FinanceReader(Protocol):
    async def ledger_movements(self, start: datetime, end: datetime) -> list[LedgerMovement]:
        """Per day, currency, kind of posting (the idempotency id's prefix) and account: the sum
        of the entries and how many transactions."""
        ...

    async def seller_balances(self, before: datetime) -> list[SellerBalance]:
        """Every seller's payable account's balance per currency, of the postings before ``before``."""
        ...

    async def invoiced_lines(self, start: datetime, end: datetime) -> list[InvoicedLine]:
        """Paid invoices issued in the period, summed per day, currency, product, its seller, and
        the order's tax country and region."""
        ...

    async def credited_tax(self, start: datetime, end: datetime) -> list[CreditedTax]:
        """Credit notes issued in the period, summed per day, currency, tax country and region."""
        ...

    async def paid_orders(self, start: datetime, end: datetime) -> list[PaidOrderFact]:
        """Orders paid in the period (whatever happened to them since)."""
        ...

    async def sales(self, start: datetime, end: datetime) -> list[SaleFact]:
        """The purchase sale postings (``sale:<order>``; not renewals) made in the period: the
        gross they debit processor clearing by."""
        ...

    async def recurring_sales(self, start: datetime, end: datetime) -> list[RecurringSale]:
        """The sale postings made in the period (purchases and renewals) of orders that started
        a subscription."""
        ...

    async def fees_of(self, payment_ids: Iterable[str]) -> dict[str, int]:
        """Each payment's processor fee in the ledger: its estimate plus its true-up."""
        ...

    async def known_payments(self, payment_ids: Iterable[str]) -> set[str]:
        """Those of ``payment_ids`` that an order or an invoice of ours names."""
        ...

    async def orders_named(self, order_ids: Iterable[UUID]) -> list[PaidOrderFact]:
        """The paid orders among ``order_ids`` (a sale's order paid outside the margin)."""
        ...
