"""The worker's forecasts: each metric with enough history is backtested on its last four weeks
and forecast four weeks ahead, once a day; one with too little history gets none; the figures
behind a forecast are read by admins and analysts only."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.compute_forecasts import ComputeForecasts
from devforge.application.analytics.show_forecast import ShowForecast
from devforge.application.common.actor import Actor
from devforge.domain.analytics.errors import ForecastNotFound
from devforge.domain.analytics.forecasting import HOLDOUT_DAYS, HORIZON_DAYS, Band, Forecast, coverage, mape
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.domain.shared.errors import NotPermitted, RuleViolated
from tests.fakes.metric_series import FakeMetricSeries
from tests.unit.analytics.insight_world import insight_container

NOW = datetime(2026, 6, 2, 3, 0, tzinfo=UTC)
TODAY = NOW.replace(hour=0)
ANALYST = Actor.holding(uuid4(), AnalyticsPermission.READ)


@pytest.fixture
def series() -> FakeMetricSeries:
    rng, figures = random.Random(3), FakeMetricSeries("extensions.downloads", "users.daily_active")
    for back in range(1, 121):  # four months of downloads with a weekly rhythm
        at = TODAY - timedelta(days=back)
        figures.set("extensions.downloads", Interval.DAY, at, 500 + 80 * (at.weekday() < 5) + rng.gauss(0, 10))
    for back in range(1, 30):  # a month of active users only
        figures.set("users.daily_active", Interval.DAY, TODAY - timedelta(days=back), 40)
    return figures


@pytest.fixture
async def container(series: FakeMetricSeries) -> AsyncIterator[AsyncContainer]:
    async with insight_container(ManualClock(NOW), series) as built:
        yield built


async def compute(container: AsyncContainer) -> tuple[tuple[str, ...], tuple[str, ...]]:
    async with container() as scope:
        report = await (await scope.get(ComputeForecasts))()
    return report.computed, report.too_short


async def show(container: AsyncContainer, metric: str, actor: Actor = ANALYST) -> Forecast:
    async with container() as scope:
        return await (await scope.get(ShowForecast))(actor, metric)


async def test_a_metric_is_forecast_with_its_backtest_once_a_day(container: AsyncContainer) -> None:
    assert await compute(container) == (("extensions.downloads",), ("users.daily_active",))
    assert await compute(container) == ((), ("users.daily_active",))  # today's is stored
    forecast = await show(container, "extensions.downloads")
    assert forecast.model == "SeasonalNaive" and forecast.level == 80
    assert forecast.history_end == (TODAY - timedelta(days=1)).date()
    assert [p.day for p in forecast.points] == [forecast.history_end + timedelta(days=i) for i in range(1, 29)]
    assert len(forecast.points) == HORIZON_DAYS
    assert all(p.low <= p.mean <= p.high for p in forecast.points)
    assert forecast.backtest.holdout_days == HOLDOUT_DAYS
    assert forecast.backtest.mape is not None and forecast.backtest.mape < 5
    assert 0.5 <= forecast.backtest.coverage <= 1


async def test_a_metric_without_a_forecast_is_404_an_unknown_one_422_and_developers_are_refused(
    container: AsyncContainer,
) -> None:
    with pytest.raises(ForecastNotFound):
        await show(container, "users.daily_active")
    with pytest.raises(RuleViolated) as refused:
        await show(container, "users.nonexistent")
    assert refused.value.field == "metric"
    with pytest.raises(NotPermitted):
        await show(container, "extensions.downloads", Actor(ANALYST.user_id))


def test_mape_skips_days_of_zero_and_coverage_counts_the_bounds() -> None:
    assert mape([100, 0, 200], [110, 5, 150]) == pytest.approx(17.5)
    assert mape([0, 0], [1, 2]) is None
    band = Band((10, 10, 10), (9, 9, 9), (11, 11, 11))
    assert coverage([9, 11, 12], band) == pytest.approx(2 / 3)
