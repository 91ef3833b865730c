"""A metric's latest forecast with its backtest (``analytics:read``)."""

from __future__ import annotations

from devforge.application.analytics.forecast_ports import ForecastRepository
from devforge.application.common.actor import Actor
from devforge.domain.analytics.errors import ForecastNotFound
from devforge.domain.analytics.forecasting import FORECAST_METRICS, PER_CURRENCY, Forecast, currency_scope
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.shared.errors import NotPermitted, RuleViolated


class ShowForecast:
    """Platform figures only: admins and analysts (a developer's own figures are not forecast yet)."""

    def __init__(self, forecasts: ForecastRepository) -> None:
        self._forecasts = forecasts

    async def __call__(self, actor: Actor, metric: str, currency: str | None = None) -> Forecast:
        """``currency`` names the figure of a per-currency metric (money: ``revenue.mrr``), and only of one."""
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analysts and administrators read forecasts.")
        if metric not in FORECAST_METRICS:
            raise RuleViolated(f"Forecasts are made of {', '.join(FORECAST_METRICS)}.", field="metric")
        if (metric in PER_CURRENCY) != (currency is not None):
            needed = "is forecast per currency: name one" if metric in PER_CURRENCY else "is not money: no currency"
            raise RuleViolated(f"{metric} {needed}.", field="currency")
        forecast = await self._forecasts.get(metric, "" if currency is None else currency_scope(currency))
        if forecast is None:
            of = metric if currency is None else f"{metric} in {currency}"
            raise ForecastNotFound(f"No forecast of {of} yet: the worker makes one a day, given eight weeks of it.")
        return forecast
