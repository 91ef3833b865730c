"""MRR is forecast by the day, per currency, through the real path: revenue facts in the store, the
catalogue's ``revenue.mrr`` by the day (``CatalogueMetricSeries``), the worker's ``ComputeForecasts``,
the stored forecast with its interval and backtest read by ``ShowForecast``."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.catalogue_metric_series import CatalogueMetricSeries
from devforge.application.analytics.compute_forecasts import ComputeForecasts
from devforge.application.analytics.ports import AnalyticsStore
from devforge.application.analytics.show_forecast import ShowForecast
from devforge.application.common.actor import Actor
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.errors import ForecastNotFound
from devforge.domain.analytics.forecasting import HOLDOUT_DAYS, HORIZON_DAYS
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.domain.analytics.revenue_facts import RevenueFact, RevenueFactKind
from devforge.domain.shared.errors import RuleViolated
from tests.conftest import manual_clock_provider, settings_for_tests

NOW = datetime(2026, 6, 2, 3, 0, tzinfo=UTC)
TODAY = NOW.replace(hour=0)
ANALYST = Actor.holding(uuid4(), AnalyticsPermission.READ)


def seeded_facts() -> list[RevenueFact]:
    """EUR: 150 days of weekday sign-ups (monthly plans of 900 to 1,100 net, a yearly one now and
    then), about one in twelve ended some weeks later; USD: its first subscription 20 days ago."""
    rng, facts = random.Random(15), []
    for back in range(150, 0, -1):
        day = TODAY - timedelta(days=back)
        for _ in range(rng.randint(2, 4) if day.weekday() < 5 else 0):
            order, at = uuid4(), day + timedelta(hours=rng.randint(0, 23))
            yearly = rng.random() < 0.1
            net = rng.randint(900, 1_100) * (12 if yearly else 1)
            kind = RevenueFactKind.STARTED
            facts.append(RevenueFact(uuid4(), kind, at, order, uuid4(), "EUR", net, net, "year" if yearly else "month"))
            if rng.random() < 1 / 12:
                facts.append(
                    RevenueFact(uuid4(), RevenueFactKind.ENDED, at + timedelta(days=rng.randint(7, 60)), order, uuid4())
                )
    order = uuid4()
    facts.append(
        RevenueFact(
            uuid4(), RevenueFactKind.STARTED, TODAY - timedelta(days=20), order, uuid4(), "USD", 500, 500, "month"
        )
    )
    return facts


async def test_a_seeded_history_of_revenue_facts_yields_a_stored_mrr_forecast_per_currency() -> None:
    container = make_container(settings_for_tests(), manual_clock_provider(ManualClock(NOW)), base=memory_providers())
    try:
        store = await container.get(AnalyticsStore)  # type: ignore[type-abstract]
        await store.record_revenue_facts(seeded_facts())
        async with container() as scope:
            report = await (await scope.get(ComputeForecasts))()
        assert "revenue.mrr currency:EUR" in report.computed
        assert "revenue.mrr currency:USD" in report.too_short  # 20 days: no forecast rather than a wild one
        async with container() as scope:
            again = await (await scope.get(ComputeForecasts))()
            show = await scope.get(ShowForecast)
            forecast = await show(ANALYST, "revenue.mrr", "EUR")
            with pytest.raises(ForecastNotFound):
                await show(ANALYST, "revenue.mrr", "USD")
            for metric, currency in (("revenue.mrr", None), ("extensions.downloads", "EUR")):
                with pytest.raises(RuleViolated) as refused:
                    await show(ANALYST, metric, currency)
                assert refused.value.field == "currency"
    finally:
        await container.close()

    assert "revenue.mrr currency:EUR" not in again.computed  # once a day
    assert forecast.scope == "currency:EUR" and forecast.history_end == (TODAY - timedelta(days=1)).date()
    assert len(forecast.points) == HORIZON_DAYS and all(p.low <= p.mean <= p.high for p in forecast.points)
    assert forecast.points[0].low < forecast.points[0].high  # an interval, not a line
    assert forecast.backtest.holdout_days == HOLDOUT_DAYS
    # The memory container's seasonal naive model repeats the last week: a growing MRR runs ahead of it.
    assert forecast.model == "SeasonalNaive" and forecast.backtest.mape is not None
    assert 0 < forecast.backtest.mape < 30 and 0 <= forecast.backtest.coverage <= 1
    # The history the model saw is the catalogue's MRR by the day: its last day is near the first forecast day.
    series = CatalogueMetricSeries(CONTEXTS.metric_catalogue(), store)
    eur = (await series.scoped_values("revenue.mrr", TODAY - timedelta(days=7), TODAY, Interval.DAY))["currency:EUR"]
    assert eur[-1] > eur[0] > 0 and abs(forecast.points[0].mean - eur[-1]) / eur[-1] < 0.1
