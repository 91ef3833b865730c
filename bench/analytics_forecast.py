"""Forecast backtests on a seeded year: for each forecast metric, a year of daily figures (a
seeded RNG, so every run sees the same year), then the worker's own ``forecast_with_backtest``:
the model fitted without the last 28 days, asked for them, scored by MAPE and by the share of
days inside its 80 % interval, for statsforecast's AutoETS (production) and the seasonal naive
baseline. Also the cost: statsforecast's import, each fit, and MRR's read.

MRR goes the worker's whole path: a year of subscriptions as revenue facts in the store (sign-ups
busier on weekdays, monthly and yearly plans, churn, in EUR and USD), read as the catalogue's
``revenue.mrr`` by the day per currency (``CatalogueMetricSeries.scoped_values``, as
``ComputeForecasts`` reads it). Downloads and active users are series with a trend, a weekly
season and noise.

    .venv/bin/python bench/analytics_forecast.py [--seed 15] [--days 365]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from devforge.adapters.analytics.seasonal_naive import SeasonalNaiveForecaster
from devforge.adapters.analytics.statsforecast_forecaster import StatsForecastForecaster
from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.catalogue_metric_series import CatalogueMetricSeries
from devforge.application.analytics.compute_forecasts import forecast_with_backtest
from devforge.application.analytics.forecast_ports import Forecaster
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.forecasting import HOLDOUT_DAYS, LEVEL
from devforge.domain.analytics.queries import Interval
from devforge.domain.analytics.revenue_facts import RevenueFact, RevenueFactKind

STARTED, ENDED = RevenueFactKind.STARTED, RevenueFactKind.ENDED

START = date(2025, 12, 1)


def seeded_counts(seed: int, days: int) -> dict[str, list[float]]:
    """Downloads (linear growth, busy weekdays and quiet weekends, 5 % noise) and daily active
    users (growth, weekends 40 % down, 3 % noise)."""
    rng = random.Random(seed)
    downloads, active = [], []
    for d in range(days):
        weekend = (START + timedelta(days=d)).weekday() >= 5
        shape = 0.7 if weekend else 1.12
        downloads.append(round((5_000 + 8 * d) * shape * rng.gauss(1, 0.05)))
        active.append(round((2_000 + 3 * d) * (0.6 if weekend else 1.0) * rng.gauss(1, 0.03)))
    return {"extensions.downloads": downloads, "users.daily_active": active}


def seeded_revenue_facts(seed: int, days: int) -> list[RevenueFact]:
    """Sign-ups growing through the year, busier on weekdays (EUR; USD about a third as many),
    monthly plans of 9.00 to 29.00 net and one in eight yearly (ten months' price), each ending
    at a rate of 3 % a month, over ``days`` days from ``START``; a few hundred subscriptions taken
    on the first day."""
    rng, facts = random.Random(seed), []
    first = datetime.combine(START, datetime.min.time(), tzinfo=UTC)
    for d in range(days):
        day = first + timedelta(days=d)
        weekend = day.weekday() >= 5
        for currency, share in (("EUR", 1.0), ("USD", 0.35)):
            mean = share * (300 if d == 0 else (4 + d / 40) * (0.4 if weekend else 1.1))
            sign_ups = max(0, round(rng.gauss(mean, mean**0.5)))
            for _ in range(sign_ups):
                yearly = rng.random() < 1 / 8
                net = rng.randint(900, 2_900) * (10 if yearly else 1)
                at, order = day + timedelta(seconds=rng.randint(0, 86_399)), uuid4()
                facts.append(
                    RevenueFact(uuid4(), STARTED, at, order, uuid4(), currency, net, net, "year" if yearly else "month")
                )
                lasts = rng.expovariate(0.03 / 30)
                if lasts < days - d:
                    facts.append(RevenueFact(uuid4(), ENDED, at + timedelta(days=lasts), order, uuid4()))
    return facts


async def mrr_by_currency(facts: list[RevenueFact], days: int) -> tuple[dict[str, list[float]], float]:
    """The catalogue's daily MRR per currency, as the worker reads it, and the read's seconds."""
    store = InMemoryAnalyticsStore()
    await store.record_revenue_facts(facts)
    series = CatalogueMetricSeries(CONTEXTS.metric_catalogue(), store)
    first = datetime.combine(START, datetime.min.time(), tzinfo=UTC)
    started = time.perf_counter()
    scoped = await series.scoped_values("revenue.mrr", first, first + timedelta(days=days), Interval.DAY)
    return {f"revenue.mrr {scope}": values for scope, values in scoped.items()}, time.perf_counter() - started


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()

    imported = timed(lambda: __import__("statsforecast.models"))
    models: list[Forecaster] = [StatsForecastForecaster(), SeasonalNaiveForecaster()]
    facts = seeded_revenue_facts(args.seed, args.days)
    mrr, read = asyncio.run(mrr_by_currency(facts, args.days))
    series = {**mrr, **seeded_counts(args.seed, args.days)}
    end = START + timedelta(days=args.days - 1)
    now = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    print(f"seed {args.seed}, {args.days} days from {START}, holdout {HOLDOUT_DAYS} days, interval {LEVEL} %")
    print(f"statsforecast import: {imported:.2f} s")
    print(f"revenue.mrr by the day per currency from {len(facts):,} revenue facts: {read:.2f} s")
    print(f"{'metric':<26} {'model':<14} {'MAPE %':>7} {'coverage':>9} {'seconds':>8}")
    for metric, history in series.items():
        for model in models:
            started = time.perf_counter()
            forecast = forecast_with_backtest(model, metric.split()[0], history, end, now)
            seconds = time.perf_counter() - started
            backtest = forecast.backtest
            error = "n/a" if backtest.mape is None else f"{backtest.mape:.2f}"
            print(f"{metric:<26} {model.name:<14} {error:>7} {backtest.coverage:>9.2f} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
