"""The simple forecaster: next week repeats last week (seasonal naive), with an interval from
how much a day differed from the same weekday a week before over the history."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist, fmean

from devforge.domain.analytics.forecasting import Band, HistoryTooShort

SEASON = 7


class SeasonalNaiveForecaster:
    """Fast and dependency-free: the in-memory container's model, and the baseline the real
    one is compared with in ``bench/analytics_forecast.py``."""

    name = "SeasonalNaive"

    def forecast(self, history: Sequence[float], horizon: int, level: int) -> Band:
        if len(history) < 2 * SEASON:
            raise HistoryTooShort(f"{len(history)} days: a weekly model needs {2 * SEASON}")
        last = [float(v) for v in history[-SEASON:]]
        diffs = [float(history[i] - history[i - SEASON]) for i in range(SEASON, len(history))]
        mean_diff = fmean(diffs)
        spread = math.sqrt(fmean([(d - mean_diff) ** 2 for d in diffs]))
        z = NormalDist().inv_cdf(0.5 + level / 200)
        mean, low, high = [], [], []
        for step in range(horizon):
            seasons_ahead = step // SEASON + 1
            centre = last[step % SEASON]
            width = z * spread * math.sqrt(seasons_ahead)
            mean.append(centre)
            low.append(centre - width)
            high.append(centre + width)
        return Band(tuple(mean), tuple(low), tuple(high))
