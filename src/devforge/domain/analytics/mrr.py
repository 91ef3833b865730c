"""Monthly recurring revenue and its movements, ChartMogul's way, over the subscriptions'
timelines. Pure: what billing published, turned into ``MrrChange`` facts, in any order.

- A subscription's **MRR** is what it recognises per month, tax excluded, in integer minor units
  of its currency: a monthly plan its net charge; a yearly plan ``floor(net / 12)``, fixed per
  subscription (the remainder, under 12 minor units a year, is never counted and never carried
  to another subscription or month, so every figure below is a sum of integers and the same in
  any order of adding).
- From a change on, the subscription's MRR is that change's ``monthly`` until its next change; an
  ending change (``final``) is its last: anything later is ignored. Changes of one subscription at
  the same moment apply ending last, so a subscription ended as it started never had MRR.
- An **account** is one customer in one currency (no exchange rates: a currency's figures are
  its own). Its MRR is its subscriptions' sum. Every moment at which it changes is one movement
  (changes at the same moment net out first): from 0 to more is **new** the first time and
  **reactivation** after that; to 0 is **churn** (all of it); otherwise up is **expansion** and
  down **contraction**. So MRR at any moment = the movements before it, added with their sign.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

MONTHS_PER_YEAR = 12


def monthly_amount(net: int, interval: str) -> int:
    """A period's net charge as MRR: as is for ``month``, floored twelfth for ``year``."""
    if interval == "month":
        return net
    if interval == "year":
        return net // MONTHS_PER_YEAR
    raise ValueError(f"{interval!r} does not recur")


@dataclass(frozen=True, slots=True)
class MrrChange:
    """From ``at`` on, ``subscription`` (of ``account``, in ``currency``) brings ``monthly`` minor
    units a month; ``final``: it ended (``monthly`` 0) and nothing later changes it."""

    at: datetime
    subscription: UUID
    account: UUID
    currency: str
    monthly: int
    final: bool = False


class MovementKind(StrEnum):
    NEW = "new"
    EXPANSION = "expansion"
    CONTRACTION = "contraction"
    CHURN = "churn"
    REACTIVATION = "reactivation"


GROWING = frozenset({MovementKind.NEW, MovementKind.EXPANSION, MovementKind.REACTIVATION})


@dataclass(frozen=True, slots=True)
class Movement:
    """``amount``: the size of the change, never negative; ``signed`` adds it to MRR."""

    at: datetime
    account: UUID
    currency: str
    kind: MovementKind
    amount: int

    @property
    def signed(self) -> int:
        return self.amount if self.kind in GROWING else -self.amount


def effective(changes: Iterable[MrrChange]) -> list[MrrChange]:
    """Each subscription's changes that count, in time order: duplicates once, nothing after its end."""
    by_subscription: dict[UUID, set[MrrChange]] = defaultdict(set)
    for change in changes:
        by_subscription[change.subscription].add(change)
    kept: list[MrrChange] = []
    for timeline in by_subscription.values():
        for change in sorted(timeline, key=lambda c: (c.at, c.final, c.monthly)):
            kept.append(change)
            if change.final:
                break
    return sorted(kept, key=lambda c: (c.at, c.final))


def movements(changes: Iterable[MrrChange]) -> list[Movement]:
    """Every movement of every account, in time order."""
    by_account: dict[tuple[UUID, str], list[MrrChange]] = defaultdict(list)
    for change in effective(changes):
        by_account[(change.account, change.currency)].append(change)
    found: list[Movement] = []
    for (account, currency), timeline in by_account.items():
        current: dict[UUID, int] = {}
        had_mrr, index = False, 0
        while index < len(timeline):
            at, before = timeline[index].at, sum(current.values())
            while index < len(timeline) and timeline[index].at == at:
                current[timeline[index].subscription] = timeline[index].monthly
                index += 1
            after = sum(current.values())
            kind = _kind(before, after, had_mrr)
            if kind is not None:
                found.append(Movement(at, account, currency, kind, abs(after - before)))
            had_mrr = had_mrr or after > 0
    return sorted(found, key=lambda m: (m.at, m.currency, str(m.account)))


def _kind(before: int, after: int, had_mrr: bool) -> MovementKind | None:
    if after == before:
        return None
    if before == 0:
        return MovementKind.REACTIVATION if had_mrr else MovementKind.NEW
    if after == 0:
        return MovementKind.CHURN
    return MovementKind.EXPANSION if after > before else MovementKind.CONTRACTION


def account_mrr(changes: Iterable[MrrChange], before: datetime) -> dict[tuple[UUID, str], int]:
    """Each account's MRR just before ``before`` (the changes earlier than it), accounts at 0 left out."""
    current: dict[UUID, MrrChange] = {}
    for change in effective(changes):
        if change.at < before:
            current[change.subscription] = change
    totals: dict[tuple[UUID, str], int] = defaultdict(int)
    for change in current.values():
        totals[(change.account, change.currency)] += change.monthly
    return {account: mrr for account, mrr in totals.items() if mrr}
