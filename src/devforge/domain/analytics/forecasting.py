"""Forecasts of a daily metric with a prediction interval, and the backtest that says how far to
trust one: the same model fitted without the last ``HOLDOUT_DAYS`` days, asked for them, and
scored by its mean absolute percentage error (MAPE) and by how many actual days fell inside
its interval (coverage). Each forecast is published with its own backtest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

HOLDOUT_DAYS = 28
"""Four weeks: a whole number of the weekly season the daily series repeat."""
HORIZON_DAYS = 28
LEVEL = 80
"""The prediction interval's level in percent: about 8 days in 10 land inside it."""
MIN_HISTORY_DAYS = 2 * HOLDOUT_DAYS
"""Fewer days than that (a new platform, a new metric): no forecast, rather than a wild one."""
FORECAST_METRICS = ("revenue.mrr", "extensions.downloads", "users.daily_active")
"""What the worker forecasts (metric catalogue keys read by the day; one the catalogue does not read by
the day is skipped until it does)."""
PER_CURRENCY = frozenset({"revenue.mrr"})
"""Money: forecast per currency (scope ``currency:<code>``), never added across currencies."""


def currency_scope(currency: str) -> str:
    """The forecast scope of one currency's figure of a ``PER_CURRENCY`` metric."""
    return f"currency:{currency}"


class HistoryTooShort(ValueError):
    """Fewer days of history than a forecast needs."""


@dataclass(frozen=True, slots=True)
class Band:
    """A model's answer for each of ``horizon`` days: the mean and the interval's bounds."""

    mean: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    def __post_init__(self) -> None:
        if not len(self.mean) == len(self.low) == len(self.high):
            raise ValueError("a band has as many bounds as means")


@dataclass(frozen=True, slots=True)
class ForecastPoint:
    day: date
    mean: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Backtest:
    """``mape`` in percent over the holdout's days whose actual value is not zero (None when every
    one is zero: a percentage of nothing); ``coverage`` the share of holdout days inside the band."""

    holdout_days: int
    mape: float | None
    coverage: float


@dataclass(frozen=True, slots=True)
class Forecast:
    """``metric`` from ``history_end`` (the last day of history, included) on: ``points`` are the
    days after it. ``scope`` is "" for the platform's figure, ``currency:<code>`` for one currency's
    figure of money (``PER_CURRENCY``)."""

    metric: str
    scope: str
    model: str
    level: int
    computed_at: datetime
    history_end: date
    points: tuple[ForecastPoint, ...]
    backtest: Backtest

    def on(self, day: date) -> ForecastPoint | None:
        return next((point for point in self.points if point.day == day), None)


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float | None:
    """Mean of ``|actual - predicted| / |actual|`` in percent, over the days with a non-zero actual."""
    errors = [abs(a - p) / abs(a) for a, p in zip(actual, predicted, strict=True) if a != 0]
    return 100 * sum(errors) / len(errors) if errors else None


def coverage(actual: Sequence[float], band: Band) -> float:
    """The share of ``actual`` days inside ``band`` (bounds included)."""
    inside = sum(low <= a <= high for a, low, high in zip(actual, band.low, band.high, strict=True))
    return inside / len(actual) if actual else 0.0


def score(actual: Sequence[float], band: Band) -> Backtest:
    return Backtest(len(actual), mape(actual, band.mean), coverage(actual, band))


def floored(band: Band, floor: float = 0.0) -> Band:
    """The band with nothing below ``floor``: counts and revenue are never negative."""

    def lift(values: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(max(floor, v) for v in values)

    return Band(lift(band.mean), lift(band.low), lift(band.high))
