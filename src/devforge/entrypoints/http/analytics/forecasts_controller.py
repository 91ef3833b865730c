"""``GET /api/analytics/forecasts``: a metric's latest forecast with its backtest."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import QueryParameter

from devforge.application.analytics.show_forecast import ShowForecast
from devforge.application.common.actor import Actor
from devforge.domain.analytics.forecasting import FORECAST_METRICS
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.entrypoints.http.analytics.insight_schemas import ForecastResponse
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN


class ForecastsController(Controller):
    path = "/api/analytics/forecasts"
    tags = ["analytics"]
    guards = [require(AnalyticsPermission.READ)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/",
        summary="A metric's forecast",
        description=(
            "The next 28 days of the metric with an 80 % prediction interval, as the worker computed it once the "
            "last day was complete (statsforecast's AutoETS, weekly season), and its backtest: the same model "
            "fitted without the last 28 days of history, scored on them (MAPE, and the share of days inside the "
            "interval). Money (`revenue.mrr`: MRR at each UTC day's end) is forecast per currency: name it with "
            "`currency` (422 naming `currency` without it, or with it for another metric). "
            "404 `forecast_not_found` until a forecast exists (eight weeks of the metric are needed). "
            "Administrators and analysts."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def show(
        self,
        actor: NamedDependency[Actor],
        handler: FromDishka[ShowForecast],
        metric: Annotated[
            str,
            QueryParameter(
                pattern=LINE_PATTERN, max_length=64, description="The metric", schema_extra={"enum": FORECAST_METRICS}
            ),
        ],
        currency: Annotated[
            str | None,
            QueryParameter(
                pattern=r"^[A-Z]{3}$",
                min_length=3,
                max_length=3,
                description="The currency (ISO 4217) of a money metric's forecast",
                examples=[Example(value="EUR")],
            ),
        ] = None,
    ) -> ForecastResponse:
        return ForecastResponse.of(await handler(actor, metric, currency))
