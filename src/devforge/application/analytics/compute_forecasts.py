"""The worker's daily forecasts: each forecast metric's last year of days (money: each currency's),
backtested on its last four weeks and then forecast four weeks ahead, stored with its backtest."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from devforge.application.analytics.forecast_ports import Forecaster, ForecastRepository, MetricSeries
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.forecasting import (
    FORECAST_METRICS,
    HOLDOUT_DAYS,
    HORIZON_DAYS,
    LEVEL,
    MIN_HISTORY_DAYS,
    PER_CURRENCY,
    Forecast,
    ForecastPoint,
    floored,
    score,
)
from devforge.domain.analytics.queries import Interval

HISTORY_DAYS = 365


@dataclass(frozen=True, slots=True)
class ForecastReport:
    """Metric keys, with `` <scope>`` for a currency's figure (``revenue.mrr currency:EUR``)."""

    computed: tuple[str, ...]
    too_short: tuple[str, ...]


def forecast_with_backtest(
    forecaster: Forecaster,
    metric: str,
    history: Sequence[float],
    history_end: date,
    now: datetime,
    scope: str = "",
) -> Forecast:
    """The model fitted without the last ``HOLDOUT_DAYS`` days and scored on them, then fitted on
    every day and asked for the next ``HORIZON_DAYS`` (CPU-bound: run it off the event loop)."""
    held_back = floored(forecaster.forecast(history[:-HOLDOUT_DAYS], HOLDOUT_DAYS, LEVEL))
    backtest = score(history[-HOLDOUT_DAYS:], held_back)
    band = floored(forecaster.forecast(history, HORIZON_DAYS, LEVEL))
    points = tuple(
        ForecastPoint(history_end + timedelta(days=i + 1), mean, low, high)
        for i, (mean, low, high) in enumerate(zip(band.mean, band.low, band.high, strict=True))
    )
    return Forecast(metric, scope, forecaster.name, LEVEL, now, history_end, points, backtest)


class ComputeForecasts:
    """Once a day's history is complete (UTC), each metric (money: each currency's figure) is
    forecast once: a run that finds today's forecast stored does not fit it again. A series with
    less than ``MIN_HISTORY_DAYS`` days since its first non-zero day is left without a forecast
    rather than given a wild one. A per-currency metric's currencies are known once its figures
    are read, so each run reads them (one read and one pass, like any revenue figure); the others
    are read only when their stored forecast is older than yesterday."""

    def __init__(
        self,
        series: MetricSeries,
        forecaster: Forecaster,
        forecasts: ForecastRepository,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._series, self._forecaster, self._forecasts = series, forecaster, forecasts
        self._uow, self._clock = uow, clock

    async def __call__(self) -> ForecastReport:
        now = self._clock.now()
        today = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
        history_end = (today - timedelta(days=1)).date()
        due = []
        for metric in FORECAST_METRICS:
            if self._series.forecastable(metric) and (
                metric in PER_CURRENCY or await self._stale(metric, "", history_end)
            ):
                due.append(metric)
        await self._uow.rollback()
        computed, too_short = [], []
        for metric in due:
            scoped = await self._series.scoped_values(metric, today - timedelta(days=HISTORY_DAYS), today, Interval.DAY)
            for scope, values in scoped.items():
                named = f"{metric} {scope}".strip()
                if scope:
                    stale = await self._stale(metric, scope, history_end)
                    await self._uow.rollback()
                    if not stale:
                        continue
                history = _since_first_figure(values)
                if len(history) < MIN_HISTORY_DAYS:
                    too_short.append(named)
                    continue
                forecast = await asyncio.to_thread(
                    forecast_with_backtest, self._forecaster, metric, history, history_end, now, scope
                )
                await self._forecasts.save(forecast)
                await self._uow.commit()
                computed.append(named)
        return ForecastReport(tuple(computed), tuple(too_short))

    async def _stale(self, metric: str, scope: str, history_end: date) -> bool:
        stored = await self._forecasts.get(metric, scope)
        return stored is None or stored.history_end < history_end


def _since_first_figure(values: Sequence[float]) -> list[float]:
    """The days before the metric first counted anything are not history (the platform was not there)."""
    first = next((i for i, v in enumerate(values) if v != 0), len(values))
    return list(values[first:])
