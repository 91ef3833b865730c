"""A developer's earnings: what the ledger owes them, split into pending, held and available.

The ledger's ``seller_payable:<developer>`` account is what the platform owes one developer in
one currency: sales credit it, refunds and lost disputes give back (debit) the developer's share,
payouts debit it. Its movements are all this needs; each is ``(amount owed, when)`` with the
amount positive for money owed to the developer.

- A sale's share is **pending** until the hold has passed (``hold``: at least the refund window,
  so most refunds land before the money can leave).
- Anything that lowers the balance (a refund's give-back, a lost dispute, a payout) counts at
  once: the balance can go negative, and later earnings pay it back before anything is paid out.
- An open dispute **holds** the developer's share of the disputed amount.
- **Available** is the rest: total less pending less held. It is what a payout may take, and
  no payout may take more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CurrencyMismatch
from devforge.domain.billing.money import Money


@dataclass(frozen=True, slots=True)
class EarningsBalance:
    """``total == pending + held + available``; only ``available`` can be paid out."""

    currency: Currency
    total: Money
    pending: Money
    held: Money
    available: Money

    @property
    def payable(self) -> Money:
        """What a payout may take now: the available balance, never below zero."""
        return self.available if not self.available.is_negative else Money.zero(self.currency)


def earnings_balance(
    movements: Iterable[tuple[Money, datetime]],
    *,
    currency: Currency,
    hold: timedelta,
    disputed: Money | None = None,
    now: datetime,
) -> EarningsBalance:
    """The balance of one developer in one currency at ``now``. ``movements``: amounts owed to
    the developer (positive) or taken back or paid (negative) with when they happened;
    ``disputed``: the developer's share of the amounts under open disputes."""
    total = pending = Money.zero(currency)
    for amount, at in movements:
        if amount.currency != currency:
            raise CurrencyMismatch(f"A {currency} balance cannot hold {amount.currency}.")
        total = total + amount
        if not amount.is_negative and at + hold > now:
            pending = pending + amount
    held = disputed if disputed is not None else Money.zero(currency)
    if held.is_negative:
        raise ValueError("A disputed share is not negative.")
    return EarningsBalance(currency, total, pending, held, total - pending - held)
