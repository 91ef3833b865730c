"""Bodies of the forecasts and alerts routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.analytics.show_alert_rule import AlertRuleWithHistory
from devforge.domain.analytics.alerts import MAX_THRESHOLD, AlertFiring, AlertRule
from devforge.domain.analytics.forecasting import FORECAST_METRICS, Forecast
from devforge.entrypoints.http.schemas import LINE_PATTERN, CamelStruct

MetricKey = Annotated[
    str,
    Meta(
        min_length=3,
        max_length=64,
        pattern=r"^[a-z][a-z0-9_]{0,31}\.[a-z][a-z0-9_]{0,47}$",
        examples=[FORECAST_METRICS[1]],
        description="A metric catalogue key, <group>.<name>",
    ),
]
ConditionName = Literal["above", "below", "change", "outside_forecast"]


class ForecastPointResponse(CamelStruct):
    day: date
    mean: float
    low: float
    high: float


class BacktestResponse(CamelStruct):
    holdout_days: Annotated[int, Meta(description="The last days of history held back and forecast blind")]
    mape: Annotated[float | None, Meta(description="Mean absolute percentage error on them, in percent")]
    coverage: Annotated[float, Meta(description="The share of them inside the interval (0 to 1)")]


class ForecastResponse(CamelStruct):
    metric: str
    currency: Annotated[str | None, Meta(description="The currency of a money metric's forecast")]
    model: str
    level: Annotated[int, Meta(description="The prediction interval's level, in percent")]
    computed_at: datetime
    history_end: Annotated[date, Meta(description="The last day of history the forecast saw")]
    backtest: BacktestResponse
    points: list[ForecastPointResponse]

    @classmethod
    def of(cls, forecast: Forecast) -> ForecastResponse:
        backtest = forecast.backtest
        currency = forecast.scope.removeprefix("currency:") if forecast.scope.startswith("currency:") else None
        return cls(
            forecast.metric,
            currency,
            forecast.model,
            forecast.level,
            forecast.computed_at,
            forecast.history_end,
            BacktestResponse(backtest.holdout_days, backtest.mape, backtest.coverage),
            [ForecastPointResponse(p.day, p.mean, p.low, p.high) for p in forecast.points],
        )


class CreateAlertRuleRequest(CamelStruct):
    name: Annotated[str, Meta(min_length=1, max_length=100, pattern=LINE_PATTERN, examples=["Downloads collapse"])]
    metric: MetricKey
    condition: Annotated[ConditionName, Meta(examples=["below"])]
    threshold: Annotated[
        float,
        Meta(
            ge=-MAX_THRESHOLD,
            le=MAX_THRESHOLD,
            examples=[500],
            description="The bound (above, below), a percentage (change), or unused (outside_forecast)",
        ),
    ] = 0.0
    interval: Literal["hour", "day"] = "day"
    cooldown_seconds: Annotated[int, Meta(ge=300, le=30 * 86400, examples=[3600])] = 3600


class AlertRuleResponse(CamelStruct):
    id: UUID
    name: str
    metric: str
    condition: ConditionName
    threshold: float
    interval: Literal["hour", "day"]
    cooldown_seconds: int
    state: Literal["armed", "firing", "cooling"]
    last_fired_at: datetime | None
    subscribers: list[UUID]
    created_by: UUID
    created_at: datetime

    @classmethod
    def of(cls, rule: AlertRule) -> AlertRuleResponse:
        return cls(
            rule.id,
            rule.name,
            rule.metric,
            rule.condition.value,
            rule.threshold,
            rule.interval.value,  # type: ignore[arg-type]
            int(rule.cooldown.total_seconds()),
            rule.state.value,
            rule.last_fired_at,
            list(rule.subscribers),
            rule.created_by,
            rule.created_at,
        )


class AlertFiringResponse(CamelStruct):
    fired_at: datetime
    bucket: Annotated[datetime, Meta(description="The start of the hour or day observed")]
    value: float
    threshold: Annotated[float, Meta(description="The bound crossed")]

    @classmethod
    def of(cls, firing: AlertFiring) -> AlertFiringResponse:
        return cls(firing.fired_at, firing.bucket, firing.value, firing.threshold)


class AlertRuleDetailResponse(CamelStruct):
    rule: AlertRuleResponse
    history: Annotated[list[AlertFiringResponse], Meta(description="The last 50 firings, newest first")]

    @classmethod
    def of(cls, shown: AlertRuleWithHistory) -> AlertRuleDetailResponse:
        return cls(AlertRuleResponse.of(shown.rule), [AlertFiringResponse.of(f) for f in shown.firings])
