"""The ports forecasts and alerts stand on: the metric values they read, the model that
forecasts, and where forecasts are kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from devforge.domain.analytics.forecasting import Band, Forecast
from devforge.domain.analytics.queries import Interval


class MetricSeries(Protocol):
    """A metric's figure per bucket (the metric catalogue's read, served in bootstrap). Not
    transactional: it reads the analytics store."""

    def knows(self, metric: str, interval: Interval = Interval.DAY) -> bool:
        """Whether ``metric`` is a key forecasts and alerts can read by ``interval``."""
        ...

    async def values(self, metric: str, start: datetime, end: datetime, interval: Interval) -> list[float]:
        """One figure per bucket from ``start`` (a bucket's start) up to ``end`` (excluded), in
        order, 0 for a bucket where nothing was counted: the platform's figure."""
        ...

    def forecastable(self, metric: str) -> bool:
        """Whether ``metric`` is read by the day as the platform's figure or, money, per currency."""
        ...

    async def scoped_values(
        self, metric: str, start: datetime, end: datetime, interval: Interval
    ) -> dict[str, list[float]]:
        """Like ``values``, per scope: ``{"": values}`` for the platform's figure; for money one
        series per currency with a figure in the range, under ``currency_scope(code)`` (no
        exchange rate is guessed, so currencies are never added up)."""
        ...


class Forecaster(Protocol):
    """A model of a daily series. Rules every adapter keeps (``tests/integration/analytics/
    test_forecaster_contract.py``): ``horizon`` days answered, ``low <= mean <= high`` each day,
    ``HistoryTooShort`` below two weeks, the same answer for the same history. CPU-bound and
    synchronous: callers run it off the event loop, in the worker, never in a request."""

    name: str

    def forecast(self, history: Sequence[float], horizon: int, level: int) -> Band: ...


class ForecastRepository(Protocol):
    """Transactional (the service's database): the latest forecast of each metric and scope."""

    async def save(self, forecast: Forecast) -> None:
        """Replaces the metric's (and scope's) forecast."""
        ...

    async def get(self, metric: str, scope: str = "") -> Forecast | None: ...
