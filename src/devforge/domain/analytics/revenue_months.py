"""The revenue figures per calendar month (UTC) and currency, from the MRR movements
(``mrr.py``). A month is ``[first day 00:00, next month's first day)``.

- **opening** is MRR just before the month, **closing** just before the next; closing = opening
  + new + expansion + reactivation - contraction - churn, to the minor unit.
- **closing MRR** of any buckets (days, months): MRR just before each bucket's end, per currency
  (``closing_mrr``); a month's is its ``RevenueMonth.closing``, a day's the MRR at the end of it.
- **ARR** = 12 x closing MRR.
- **accounts**: customers paying in that currency at the close; **ARPA** = floor(closing /
  accounts), 0 without accounts.
- **net revenue retention** over ``[start, end)``: of the accounts paying at ``start``, their MRR
  at ``end`` over their MRR at ``start`` (their expansion, contraction, churn and any return
  within the period; newcomers left out), in basis points, floored; None without a start.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from devforge.domain.analytics.mrr import MONTHS_PER_YEAR, MovementKind, MrrChange, account_mrr, effective, movements

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
    """Each of ``months`` (month starts) in each currency that has MRR or a movement in it. One
    pass over the changes in time order and one over the movements, whatever the months' number."""
    kept = effective(changes)
    sums: dict[tuple[datetime, str], dict[MovementKind, int]] = defaultdict(lambda: dict.fromkeys(MovementKind, 0))
    for move in movements(kept):
        sums[(month_start(move.at), move.currency)][move.kind] += move.amount
    boundaries = sorted({*months, *(next_month(m) for m in months)})
    at_boundary = _mrr_at(kept, boundaries)
    found = []
    for start in months:
        opening, closing = at_boundary[start], at_boundary[next_month(start)]
        moved = {currency for (month, currency) in sums if month == start}
        for currency in sorted(moved | opening.keys() | closing.keys()):
            kinds = sums.get((start, currency)) or dict.fromkeys(MovementKind, 0)
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
                    accounts=closing.get(currency, (0, 0))[1],
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class ClosingMrr:
    bucket: datetime
    currency: str
    mrr: int


def closing_mrr(changes: Iterable[MrrChange], starts: Sequence[datetime], end: datetime) -> list[ClosingMrr]:
    """MRR just before each bucket's end, per currency: the buckets are ``[starts[i], starts[i + 1])``
    and the last ``[starts[-1], end)`` (``starts`` ascending). Each bucket lists a currency with MRR
    at its start or end or a movement in it (as ``revenue_months`` lists a month's). One pass over
    the changes and one over the movements; per bucket, only the currencies' running totals."""
    kept = effective(changes)
    ends = [*starts[1:], end]
    moved: dict[int, set[str]] = defaultdict(set)
    for move in movements(kept):
        index = bisect_right(starts, move.at) - 1
        if index >= 0 and move.at < ends[index]:
            moved[index].add(move.currency)
    at_boundary = _currency_mrr_at(kept, sorted({*starts, *ends}))
    found = []
    for index, (start, stop) in enumerate(zip(starts, ends, strict=True)):
        opening, closing = at_boundary[start], at_boundary[stop]
        for currency in sorted(moved[index] | opening.keys() | closing.keys()):
            found.append(ClosingMrr(start, currency, closing.get(currency, 0)))
    return found


def _currency_mrr_at(kept: list[MrrChange], boundaries: list[datetime]) -> dict[datetime, dict[str, int]]:
    """MRR per currency (those above 0) just before each boundary, in one pass over the effective
    changes (a subscription's MRR is never negative, so a currency at 0 has no paying account)."""
    per_subscription: dict[UUID, int] = {}
    per_currency: dict[str, int] = defaultdict(int)
    found, index = {}, 0
    for boundary in boundaries:
        while index < len(kept) and kept[index].at < boundary:
            change = kept[index]
            per_currency[change.currency] += change.monthly - per_subscription.get(change.subscription, 0)
            per_subscription[change.subscription] = change.monthly
            index += 1
        found[boundary] = {currency: mrr for currency, mrr in per_currency.items() if mrr}
    return found


def _mrr_at(kept: list[MrrChange], boundaries: list[datetime]) -> dict[datetime, dict[str, tuple[int, int]]]:
    """(MRR, paying accounts) per currency just before each boundary, from the effective changes
    (time order) in one pass."""
    per_subscription: dict[UUID, int] = {}
    per_account: dict[tuple[UUID, str], int] = defaultdict(int)
    found, index = {}, 0
    for boundary in boundaries:
        while index < len(kept) and kept[index].at < boundary:
            change = kept[index]
            account = (change.account, change.currency)
            per_account[account] += change.monthly - per_subscription.get(change.subscription, 0)
            per_subscription[change.subscription] = change.monthly
            index += 1
        found[boundary] = _by_currency({account: mrr for account, mrr in per_account.items() if mrr})
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
