"""MRR and its movements, ChartMogul's way: the rules one at a time, and for any timelines of
subscriptions, movements that add up to MRR and that do not depend on the facts' order or repeats."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from devforge.domain.analytics.mrr import Movement, MovementKind, MrrChange, account_mrr, monthly_amount, movements
from devforge.domain.analytics.revenue_months import (
    ClosingMrr,
    closing_mrr,
    months_between,
    net_revenue_retention,
    revenue_months,
)

T0 = datetime(2026, 1, 5, tzinfo=UTC)
ADA, BO = uuid4(), uuid4()


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def start(account: UUID, at: int, monthly: int, currency: str = "EUR", sub: UUID | None = None) -> MrrChange:
    return MrrChange(day(at), sub or uuid4(), account, currency, monthly)


def end(change: MrrChange, at: int) -> MrrChange:
    return MrrChange(day(at), change.subscription, change.account, change.currency, 0, final=True)


def kinds(changes: list[MrrChange]) -> list[tuple[MovementKind, int]]:
    return [(m.kind, m.amount) for m in movements(changes)]


def test_a_yearly_plan_counts_its_floored_twelfth() -> None:
    assert monthly_amount(10_001, "year") == 833 and monthly_amount(840, "month") == 840


def test_mrr_at_each_days_end_by_hand() -> None:
    """Day 0 (T0, 00:00 UTC): Ada takes a monthly plan at 10:00 (net 1,000) and a yearly one
    (net 12,011: 1,000 a month, 11 never counted); day 1: Bo's USD plan (500) starts and ends at
    the same moment (never MRR, no movement: USD is never listed); day 2: Ada's monthly
    ends at 23:59 and a EUR plan of Bo's (300) starts at the same moment, netted (a contraction
    within the day); day 3 nothing changes."""
    monthly = MrrChange(day(0) + timedelta(hours=10), uuid4(), ADA, "EUR", 1_000)
    yearly = MrrChange(day(0) + timedelta(hours=10), uuid4(), ADA, "EUR", monthly_amount(12_011, "year"))
    bo_usd = start(BO, 1, 500, "USD")
    late = day(2) + timedelta(hours=23, minutes=59)
    changes = [
        monthly,
        yearly,
        bo_usd,
        end(bo_usd, 1),
        MrrChange(late, monthly.subscription, ADA, "EUR", 0, final=True),
        MrrChange(late, uuid4(), BO, "EUR", 300),
    ]
    days = [day(n) for n in range(4)]
    assert closing_mrr(changes, days, day(4)) == [
        ClosingMrr(day(0), "EUR", 2_000),
        ClosingMrr(day(1), "EUR", 2_000),
        ClosingMrr(day(2), "EUR", 1_300),
        ClosingMrr(day(3), "EUR", 1_300),
    ]
    assert closing_mrr(changes, [day(-1)], day(0)) == []  # nothing yet just before the first change
    assert closing_mrr(changes, [day(0)], day(0) + timedelta(hours=10)) == []  # a bucket ending at 10:00 excludes it


def test_new_expansion_contraction_churn_and_reactivation() -> None:
    pro = start(ADA, 0, 1000)
    team = start(ADA, 10, 2500)
    again = start(ADA, 60, 700)
    changes = [pro, team, end(pro, 20), end(team, 30), again]
    assert kinds(changes) == [
        (MovementKind.NEW, 1000),
        (MovementKind.EXPANSION, 2500),
        (MovementKind.CONTRACTION, 1000),
        (MovementKind.CHURN, 2500),
        (MovementKind.REACTIVATION, 700),
    ]


def test_changes_at_one_moment_net_out_and_a_currency_is_its_own_account() -> None:
    old = start(ADA, 0, 1000)
    switch = [old, end(old, 5), start(ADA, 5, 1200)]  # a plan switched at one moment: expansion of 200
    assert kinds(switch) == [(MovementKind.NEW, 1000), (MovementKind.EXPANSION, 200)]
    instant = start(BO, 3, 900)
    assert kinds([instant, end(instant, 3)]) == []  # ended as it started: never had MRR
    assert kinds([start(ADA, 0, 1000), start(ADA, 1, 50, "USD")]) == [
        (MovementKind.NEW, 1000),
        (MovementKind.NEW, 50),
    ]


def test_nothing_after_an_end_counts() -> None:
    pro = start(ADA, 0, 1000)
    late = MrrChange(day(9), pro.subscription, ADA, "EUR", 3000)
    assert kinds([pro, end(pro, 5), late]) == [(MovementKind.NEW, 1000), (MovementKind.CHURN, 1000)]


def test_net_revenue_retention_follows_the_accounts_paying_at_the_start() -> None:
    a, b = start(ADA, 0, 1000), start(BO, 0, 1000)
    later = [start(ADA, 40, 500), end(b, 45), start(uuid4(), 50, 9999)]  # the newcomer is left out
    assert net_revenue_retention([a, b, *later], day(30), day(90), "EUR") == 7500
    assert net_revenue_retention([a, b], day(-1), day(90), "EUR") is None


timelines = st.lists(
    st.tuples(
        st.integers(0, 3),  # account
        st.sampled_from(["EUR", "JPY"]),
        st.integers(0, 400),  # start day
        st.one_of(st.none(), st.integers(0, 400)),  # days until its end
        st.integers(0, 50_000),  # net charge
        st.sampled_from(["month", "year"]),
    ),
    max_size=12,
)


def _changes(drawn: list[tuple[int, str, int, int | None, int, str]]) -> list[MrrChange]:
    accounts = [UUID(int=i + 1) for i in range(4)]
    changes = []
    for index, (who, currency, first, length, net, interval) in enumerate(drawn):
        sub = UUID(int=1000 + index)
        changes.append(MrrChange(day(first), sub, accounts[who], currency, monthly_amount(net, interval)))
        if length is not None:
            changes.append(MrrChange(day(first + length), sub, accounts[who], currency, 0, final=True))
    return changes


@settings(max_examples=150, deadline=None)
@given(timelines, st.randoms(use_true_random=False))
def test_movements_add_up_to_mrr_in_any_order_and_with_repeats(
    drawn: list[tuple[int, str, int, int | None, int, str]], shuffler: random.Random
) -> None:
    changes = _changes(drawn)
    repeated = changes + shuffler.sample(changes, k=len(changes) // 2)
    shuffler.shuffle(repeated)
    assert movements(repeated) == movements(changes)
    months = months_between(day(0), day(900))
    for month in revenue_months(repeated, months):
        grown = month.new + month.expansion + month.reactivation
        assert month.closing == month.opening + grown - month.contraction - month.churn
        assert min(month.new, month.expansion, month.contraction, month.churn, month.reactivation) >= 0
    moves: list[Movement] = movements(changes)
    for currency in ("EUR", "JPY"):
        total = sum(m.signed for m in moves if m.currency == currency)
        after_all = sum(v for (_, cur), v in account_mrr(changes, day(2000)).items() if cur == currency)
        assert total == after_all
