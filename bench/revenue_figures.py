"""The revenue figures' cost: every call reads all revenue facts and runs the pure calculator
(``domain/analytics``) over them. Seeds ``--subscriptions`` subscriptions over two years (monthly
and yearly plans in EUR and USD, monthly renewals, a third ended, a tenth refunded in part) into
the chosen store, then times the read of the facts and the 24 months' figures (MRR, movements,
accounts, ARPA), and the reconciliation's sums, each ``--repeat`` times.

    .venv/bin/python bench/revenue_figures.py [--subscriptions 10000] [--store chdb|memory] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine
from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.billings import monthly_money
from devforge.domain.analytics.revenue_facts import RevenueFact, RevenueFactKind, charges, given_back, mrr_changes
from devforge.domain.analytics.revenue_months import months_between, revenue_months

START = datetime(2025, 1, 1, tzinfo=UTC)


def facts(subscriptions: int, rng: random.Random) -> list[RevenueFact]:
    found: list[RevenueFact] = []
    customers = [uuid4() for _ in range(max(1, subscriptions * 2 // 3))]
    for _ in range(subscriptions):
        order, user = uuid4(), rng.choice(customers)
        currency, interval = rng.choice(("EUR", "USD")), rng.choice(("month", "month", "month", "year"))
        net = rng.randrange(500, 50_000)
        at = START + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        found.append(RevenueFact(uuid4(), RevenueFactKind.STARTED, at, order, user, currency, net, net, interval))
        end = at + timedelta(days=rng.randrange(20, 700)) if rng.random() < 0.33 else START + timedelta(days=730)
        step, period = (timedelta(days=30) if interval == "month" else timedelta(days=365)), 1
        while at + step * period < end:
            renewed_at = at + step * period
            found.append(RevenueFact(uuid4(), RevenueFactKind.RENEWED, renewed_at, order, user, currency, net,
                                     reference=f"in_{period}"))  # fmt: skip
            period += 1
        if end < START + timedelta(days=730):
            found.append(RevenueFact(uuid4(), RevenueFactKind.ENDED, end, order, user))
        if rng.random() < 0.1:
            found.append(RevenueFact(uuid4(), RevenueFactKind.REFUNDED, at + timedelta(days=3), order, user, currency,
                                     net // 2))  # fmt: skip
    return found


async def store_of(kind: str, folder: Path) -> AnalyticsStore:
    if kind == "memory":
        return InMemoryAnalyticsStore()
    return ChdbAnalyticsStore(ChdbEngine(folder / "chdb"), "devforge_bench", 3650)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--store", choices=("chdb", "memory"), default="chdb")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seeded = facts(args.subscriptions, random.Random(15))
    with tempfile.TemporaryDirectory() as folder:
        store = await store_of(args.store, Path(folder))
        for index in range(0, len(seeded), 50_000):
            await store.record_revenue_facts(seeded[index : index + 50_000])
        print(f"{args.subscriptions} subscriptions, {len(seeded)} facts, store {args.store}")
        months = months_between(START, START + timedelta(days=729))
        for _ in range(args.repeat):
            clocks = [(time.perf_counter(), time.process_time())]
            kept = await store.revenue_facts()
            clocks.append((time.perf_counter(), time.process_time()))
            figures = revenue_months(mrr_changes(kept), months)
            clocks.append((time.perf_counter(), time.process_time()))
            sums = monthly_money(charges(kept), given_back(kept))
            clocks.append((time.perf_counter(), time.process_time()))
            assert len(kept) == len(seeded) and figures and sums
            steps = ("read", "24 months' figures", "monthly billed/refunded")
            print(", ".join(
                f"{step} {after[0] - before[0]:.2f} s wall / {after[1] - before[1]:.2f} s CPU"
                for step, before, after in zip(steps, clocks[:-1], clocks[1:], strict=True)
            ))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
