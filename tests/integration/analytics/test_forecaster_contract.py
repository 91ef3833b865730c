"""One contract for the ``Forecaster`` port, on the seasonal naive model and on statsforecast's
AutoETS: the horizon answered, the interval around the mean, a weekly pattern followed, a flat
series kept flat, the same history the same answer, too short a history refused."""

from __future__ import annotations

import math
import random

import pytest

from devforge.adapters.analytics.seasonal_naive import SeasonalNaiveForecaster
from devforge.adapters.analytics.statsforecast_forecaster import StatsForecastForecaster
from devforge.application.analytics.forecast_ports import Forecaster
from devforge.domain.analytics.forecasting import HistoryTooShort, mape

# statsforecast's import (with scipy and statsmodels) costs a process about 5 s of CPU, and 20-40 s
# of wall time on a loaded machine: the module's tests share one xdist worker, so one worker pays it
# once (the module-scoped fixture alone would let each of ``make test``'s three workers pay it).
pytestmark = pytest.mark.xdist_group("statsforecast")

WEEK = (100.0, 120.0, 130.0, 125.0, 140.0, 60.0, 50.0)


@pytest.fixture(params=["seasonal_naive", "statsforecast"], scope="module")
def forecaster(request: pytest.FixtureRequest) -> Forecaster:
    return SeasonalNaiveForecaster() if request.param == "seasonal_naive" else StatsForecastForecaster()


def weekly(days: int, noise: float = 3.0, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [WEEK[d % 7] + d * 0.2 + rng.gauss(0, noise) for d in range(days)]


def test_the_horizon_is_answered_with_the_mean_inside_its_interval(forecaster: Forecaster) -> None:
    band = forecaster.forecast(weekly(120), horizon=28, level=80)
    assert len(band.mean) == len(band.low) == len(band.high) == 28
    assert all(lo <= m <= hi for lo, m, hi in zip(band.low, band.mean, band.high, strict=True))
    assert all(math.isfinite(v) for v in (*band.mean, *band.low, *band.high))


def test_a_weekly_pattern_is_followed(forecaster: Forecaster) -> None:
    series = weekly(140)
    band = forecaster.forecast(series[:-14], horizon=14, level=80)
    error = mape(series[-14:], band.mean)
    assert error is not None and error < 10
    assert band.mean[5] < band.mean[4]  # the weekend dips, as every week before


def test_a_wider_level_gives_a_wider_interval(forecaster: Forecaster) -> None:
    series = weekly(84)
    narrow, wide = forecaster.forecast(series, 7, level=50), forecaster.forecast(series, 7, level=95)
    assert all(
        w_hi - w_lo > n_hi - n_lo
        for n_lo, n_hi, w_lo, w_hi in zip(narrow.low, narrow.high, wide.low, wide.high, strict=True)
    )


def test_a_flat_series_stays_flat(forecaster: Forecaster) -> None:
    band = forecaster.forecast([42.0] * 56, horizon=7, level=80)
    assert all(m == pytest.approx(42.0, abs=0.01) for m in band.mean)


def test_the_same_history_gives_the_same_answer(forecaster: Forecaster) -> None:
    series = weekly(70, seed=5)
    assert forecaster.forecast(series, 14, 80) == forecaster.forecast(series, 14, 80)


def test_less_than_two_weeks_is_refused(forecaster: Forecaster) -> None:
    with pytest.raises(HistoryTooShort):
        forecaster.forecast(weekly(13), horizon=7, level=80)
