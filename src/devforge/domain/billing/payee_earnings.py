"""Every payee's earnings read straight off the ledger's transactions (what ``PayeeBalances``
answers; its SQL adapter computes the same sums in the database).

Per ``seller_payable:<publisher>`` account and currency, with amounts owed to the publisher
positive (the ledger credits the account):

- **total**: the sum of every movement;
- **pending**: the credits of sales (``sale:...`` transactions) less than ``hold`` old. Only a
  sale waits: a returned payout or anything else owed back is owed at once;
- **held**: for each open dispute (``dispute_opened:<order>`` with neither ``dispute_won:<order>``
  nor ``dispute_lost:<order>``), the publisher's credit from that order's sale (``sale:<order>``),
  the most the dispute can take back from it;
- **available**: total less pending less held (``EarningsBalance``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance
from devforge.domain.billing.ledger import AccountKind, LedgerTransaction
from devforge.domain.billing.money import Money

Key = tuple[UUID, Currency]


def open_disputes(transactions: Iterable[LedgerTransaction]) -> set[str]:
    """The dispute ids (the order ids) opened and not yet closed."""
    opened, closed = set(), set()
    for transaction in transactions:
        kind, _, dispute = transaction.idempotency_id.partition(":")
        if kind == "dispute_opened":
            opened.add(dispute)
        elif kind in ("dispute_won", "dispute_lost"):
            closed.add(dispute)
    return opened - closed


def payee_earnings(
    transactions: Iterable[LedgerTransaction], *, now: datetime, hold: timedelta
) -> dict[Key, EarningsBalance]:
    """Every payee with any movement, by (publisher, currency)."""
    rows = list(transactions)
    disputed_sales = {f"sale:{dispute}" for dispute in open_disputes(rows)}
    total: dict[Key, int] = {}
    pending: dict[Key, int] = {}
    held: dict[Key, int] = {}
    for transaction in rows:
        is_sale = transaction.idempotency_id.startswith("sale:")
        for entry in transaction.entries:
            if entry.account.kind is not AccountKind.SELLER_PAYABLE or entry.account.party is None:
                continue
            key = (UUID(entry.account.party), transaction.currency)
            owed = -entry.amount.amount_minor
            total[key] = total.get(key, 0) + owed
            if is_sale and owed > 0 and transaction.occurred_at + hold > now:
                pending[key] = pending.get(key, 0) + owed
            if transaction.idempotency_id in disputed_sales and owed > 0:
                held[key] = held.get(key, 0) + owed
    return {key: balance_of(key[1], amount, pending.get(key, 0), held.get(key, 0)) for key, amount in total.items()}


def balance_of(currency: Currency, total: int, pending: int, held: int) -> EarningsBalance:
    return EarningsBalance(
        currency,
        Money(total, currency),
        Money(pending, currency),
        Money(held, currency),
        Money(total - pending - held, currency),
    )
