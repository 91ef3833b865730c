"""The analytics context's HTTP controllers (``http_routes`` of ``bootstrap/contexts/analytics.py``)."""

from __future__ import annotations

from devforge.entrypoints.http.analytics.alerts_controller import AlertsController
from devforge.entrypoints.http.analytics.erasures_controller import ErasuresController
from devforge.entrypoints.http.analytics.events_controller import AnalyticsEventsController
from devforge.entrypoints.http.analytics.exports_controller import ExportsController
from devforge.entrypoints.http.analytics.forecasts_controller import ForecastsController
from devforge.entrypoints.http.analytics.keys_controller import IngestionKeysController
from devforge.entrypoints.http.analytics.live_controller import AnalyticsLiveController
from devforge.entrypoints.http.analytics.metrics_controller import MetricsController
from devforge.entrypoints.http.analytics.reports_controller import ReportsController

CONTROLLERS = (
    AnalyticsEventsController,
    IngestionKeysController,
    ErasuresController,
    MetricsController,
    AnalyticsLiveController,
    ForecastsController,
    AlertsController,
    ReportsController,
    ExportsController,
)
