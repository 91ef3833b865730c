"""What subscriptions billed and what was refunded, per month and currency: the figures that
reconcile analytics' revenue facts with billing's ledger to the minor unit.

- A **charge** is one paid period of a subscription, tax excluded: its first (``renewal`` None)
  or a renewal (the provider's invoice). A charge is known by its (order, renewal): seen twice
  it counts once. The ledger recognises the same charge as ``sale:<order>[:<renewal>]``, net =
  gross less tax.
- A **refund** is money given back to a buyer, tax included (a refund of any order, or a lost
  dispute), as the ledger's processor clearing (or disputes) account gives it back.
- Both are summed in the month (UTC) of their moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.analytics.revenue_months import month_start


@dataclass(frozen=True, slots=True)
class Charge:
    at: datetime
    order_id: UUID
    renewal: str | None
    currency: str
    net: int

    @property
    def key(self) -> tuple[UUID, str | None]:
        return (self.order_id, self.renewal)


@dataclass(frozen=True, slots=True)
class GivenBack:
    at: datetime
    currency: str
    amount: int


@dataclass(frozen=True, slots=True)
class MonthlyMoney:
    """``billed``: subscriptions' charges, net; ``refunded``: given back, tax included."""

    month: datetime
    currency: str
    billed: int
    refunded: int


def distinct_charges(charges: Iterable[Charge]) -> dict[tuple[UUID, str | None], Charge]:
    """One charge per (order, renewal): the earliest report of it."""
    kept: dict[tuple[UUID, str | None], Charge] = {}
    for charge in sorted(charges, key=lambda c: c.at):
        kept.setdefault(charge.key, charge)
    return kept


def monthly_money(charges: Iterable[Charge], refunds: Iterable[GivenBack]) -> list[MonthlyMoney]:
    """Each (month, currency) with a charge or a refund, in order."""
    sums: dict[tuple[datetime, str], list[int]] = defaultdict(lambda: [0, 0])
    for charge in distinct_charges(charges).values():
        sums[(month_start(charge.at), charge.currency)][0] += charge.net
    for refund in refunds:
        sums[(month_start(refund.at), refund.currency)][1] += refund.amount
    return [MonthlyMoney(m, c, billed, refunded) for (m, c), (billed, refunded) in sorted(sums.items())]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One figure that differs: ``what`` names it (a month's ``billed``/``refunded`` in a currency, or a charge)."""

    what: str
    analytics: int | None
    ledger: int | None


def mismatches(
    analytics: tuple[list[Charge], list[GivenBack]], ledger: tuple[list[Charge], list[GivenBack]]
) -> list[Mismatch]:
    """Every charge and every month's figure on which the two sides differ; empty when they agree."""
    found = []
    ours, theirs = distinct_charges(analytics[0]), distinct_charges(ledger[0])
    for key in sorted(ours.keys() | theirs.keys(), key=str):
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None or (a.net, a.currency) != (b.net, b.currency):
            found.append(Mismatch(f"charge {key[0]}:{key[1] or 'first'}", a.net if a else None, b.net if b else None))
    months_a = {(m.month, m.currency): m for m in monthly_money(*analytics)}
    months_b = {(m.month, m.currency): m for m in monthly_money(*ledger)}
    for month, currency in sorted(months_a.keys() | months_b.keys()):
        a_month, b_month = months_a.get((month, currency)), months_b.get((month, currency))
        for figure in ("billed", "refunded"):
            value_a = getattr(a_month, figure) if a_month else 0
            value_b = getattr(b_month, figure) if b_month else 0
            if value_a != value_b:
                found.append(Mismatch(f"{month:%Y-%m} {currency} {figure}", value_a, value_b))
    return found
