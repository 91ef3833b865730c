"""Forecast backtests on a seeded year: for each forecast metric, a year of daily figures with a
trend, a weekly season and noise (a seeded RNG, so every run sees the same year), then the
worker's own ``forecast_with_backtest``: the model fitted without the last 28 days, asked for
them, scored by MAPE and by the share of days inside its 80 % interval, for statsforecast's
AutoETS (production) and the seasonal naive baseline. Also the cost: statsforecast's import and
each fit.

    .venv/bin/python bench/analytics_forecast.py [--seed 15] [--days 365]
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from devforge.adapters.analytics.seasonal_naive import SeasonalNaiveForecaster
from devforge.adapters.analytics.statsforecast_forecaster import StatsForecastForecaster
from devforge.application.analytics.compute_forecasts import forecast_with_backtest
from devforge.application.analytics.forecast_ports import Forecaster
from devforge.domain.analytics.forecasting import HOLDOUT_DAYS, LEVEL

START = date(2025, 12, 1)


def seeded_year(seed: int, days: int) -> dict[str, list[float]]:
    """MRR in cents (compounding growth, sign-ups on weekdays, 0.6 % noise), downloads (linear
    growth, busy weekdays and quiet weekends, 5 % noise) and daily active users (growth, weekends
    40 % down, 3 % noise)."""
    rng = random.Random(seed)
    mrr, downloads, active = [], [], []
    for d in range(days):
        weekday = (START + timedelta(days=d)).weekday()
        weekend = weekday >= 5
        mrr.append(round(1_200_000 * math.exp(0.0015 * d) * (0.997 if weekend else 1.001) * rng.gauss(1, 0.006)))
        shape = 0.7 if weekend else 1.12
        downloads.append(round((5_000 + 8 * d) * shape * rng.gauss(1, 0.05)))
        active.append(round((2_000 + 3 * d) * (0.6 if weekend else 1.0) * rng.gauss(1, 0.03)))
    return {"revenue.mrr": mrr, "extensions.downloads": downloads, "users.daily_active": active}


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
    series = seeded_year(args.seed, args.days)
    end = START + timedelta(days=args.days - 1)
    now = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    print(f"seed {args.seed}, {args.days} days from {START}, holdout {HOLDOUT_DAYS} days, interval {LEVEL} %")
    print(f"statsforecast import: {imported:.2f} s")
    print(f"{'metric':<22} {'model':<14} {'MAPE %':>7} {'coverage':>9} {'seconds':>8}")
    for metric, history in series.items():
        for model in models:
            started = time.perf_counter()
            forecast = forecast_with_backtest(model, metric, history, end, now)
            seconds = time.perf_counter() - started
            backtest = forecast.backtest
            error = "n/a" if backtest.mape is None else f"{backtest.mape:.2f}"
            print(f"{metric:<22} {model.name:<14} {error:>7} {backtest.coverage:>9.2f} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
