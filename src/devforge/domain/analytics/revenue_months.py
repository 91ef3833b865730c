"""The revenue figures per calendar month (UTC) and currency, from the MRR movements
(``mrr.py``). A month is ``[first day 00:00, next month's first day)``.

- **opening** is MRR just before the month, **closing** just before the next; closing = opening
  + new + expansion + reactivation - contraction - churn, to the minor unit.
- **ARR** = 12 x closing MRR.
- **accounts**: customers paying in that currency at the close; **ARPA** = floor(closing /
  accounts), 0 without accounts.
- **net revenue retention** over ``[start, end)``: of the accounts paying at ``start``, their MRR
  at ``end`` over their MRR at ``start`` (their expansion, contraction, churn and any return
  within the period; newcomers left out), in basis points, floored; None without a start.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from devforge.domain.analytics.mrr import MONTHS_PER_YEAR, MovementKind, MrrChange, account_mrr, movements

BASIS_POINTS = 10_000


def month_start(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)


def months_between(first: datetime, last: datetime) -> list[datetime]:
    """The month starts from ``first``'s month to ``last``'s, both included."""
    found, month = [], month_start(first)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found


@dataclass(frozen=True, slots=True)
class RevenueMonth:
    month: datetime
    currency: str
    opening: int
    new: int
    expansion: int
    contraction: int
    churn: int
    reactivation: int
    closing: int
    accounts: int

    @property
    def arr(self) -> int:
        return self.closing * MONTHS_PER_YEAR

    @property
    def arpa(self) -> int:
        return self.closing // self.accounts if self.accounts else 0


def revenue_months(changes: Iterable[MrrChange], months: Sequence[datetime]) -> list[RevenueMonth]:
    """Each of ``months`` (month starts) in each currency that has MRR or a movement in it."""
    facts = list(changes)
    moves = movements(facts)
    found = []
    for start in months:
        end = next_month(start)
        sums: dict[str, dict[MovementKind, int]] = defaultdict(lambda: dict.fromkeys(MovementKind, 0))
        for move in moves:
            if start <= move.at < end:
                sums[move.currency][move.kind] += move.amount
        opening, closing = _by_currency(account_mrr(facts, start)), _by_currency(account_mrr(facts, end))
        paying = defaultdict(int, {c: n for c, (_, n) in closing.items()})
        for currency in sorted(sums.keys() | opening.keys() | closing.keys()):
            kinds = sums[currency]
            found.append(
                RevenueMonth(
                    month=start,
                    currency=currency,
                    opening=opening.get(currency, (0, 0))[0],
                    new=kinds[MovementKind.NEW],
                    expansion=kinds[MovementKind.EXPANSION],
                    contraction=kinds[MovementKind.CONTRACTION],
                    churn=kinds[MovementKind.CHURN],
                    reactivation=kinds[MovementKind.REACTIVATION],
                    closing=closing.get(currency, (0, 0))[0],
                    accounts=paying[currency],
                )
            )
    return found


def _by_currency(mrr: dict[tuple[UUID, str], int]) -> dict[str, tuple[int, int]]:
    """(MRR, paying accounts) per currency."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_, currency), amount in mrr.items():
        totals[currency][0] += amount
        totals[currency][1] += 1
    return {currency: (amount, count) for currency, (amount, count) in totals.items()}


def net_revenue_retention(changes: Iterable[MrrChange], start: datetime, end: datetime, currency: str) -> int | None:
    """NRR of ``[start, end)`` in ``currency``, basis points floored (10,000 = all kept)."""
    facts = list(changes)
    before = {account: mrr for (account, cur), mrr in account_mrr(facts, start).items() if cur == currency}
    if not before:
        return None
    after = account_mrr(facts, end)
    kept = sum(after.get((account, currency), 0) for account in before)
    return kept * BASIS_POINTS // sum(before.values())
