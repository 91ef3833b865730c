"""Analytics' forecasts and alerts: the forecaster the profile runs, the metric values they
read, where they are kept, and their use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.analytics.seasonal_naive import SeasonalNaiveForecaster
from devforge.adapters.analytics.statsforecast_forecaster import StatsForecastForecaster
from devforge.adapters.memory.analytics_insights import (
    InMemoryAlertRuleReader,
    InMemoryAlertRuleRepository,
    InMemoryForecastRepository,
)
from devforge.adapters.memory.store import MemoryStore, Tables
from devforge.adapters.persistence.analytics_insights import (
    SqlaAlertRuleReader,
    SqlaAlertRuleRepository,
    SqlaForecastRepository,
)
from devforge.application.analytics.alert_ports import AlertRuleReader, AlertRuleRepository
from devforge.application.analytics.catalogue_metric_series import CatalogueMetricSeries
from devforge.application.analytics.change_alert_subscription import ChangeAlertSubscription
from devforge.application.analytics.compute_forecasts import ComputeForecasts
from devforge.application.analytics.create_alert_rule import CreateAlertRule
from devforge.application.analytics.delete_alert_rule import DeleteAlertRule
from devforge.application.analytics.evaluate_alert_rules import EvaluateAlertRules
from devforge.application.analytics.forecast_ports import Forecaster, ForecastRepository, MetricSeries
from devforge.application.analytics.list_alert_rules import ListAlertRules
from devforge.application.analytics.metric_catalogue import MetricCatalogue
from devforge.application.analytics.ports import AnalyticsStore
from devforge.application.analytics.show_alert_rule import ShowAlertRule
from devforge.application.analytics.show_forecast import ShowForecast


class AnalyticsInsightsProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        ComputeForecasts,
        ShowForecast,
        CreateAlertRule,
        ListAlertRules,
        ShowAlertRule,
        DeleteAlertRule,
        ChangeAlertSubscription,
        EvaluateAlertRules,
    )

    @provide(scope=Scope.APP)
    def metric_series(self, catalogue: MetricCatalogue, store: AnalyticsStore) -> MetricSeries:
        """The metric catalogue's figures (see ``CatalogueMetricSeries``)."""
        return CatalogueMetricSeries(catalogue, store)


class SqlaInsightsProvider(Provider):
    scope = Scope.REQUEST
    forecasts = provide(SqlaForecastRepository, provides=ForecastRepository)
    rules = provide(SqlaAlertRuleRepository, provides=AlertRuleRepository)
    rule_reads = provide(SqlaAlertRuleReader, provides=AlertRuleReader, scope=Scope.APP)  # on the common read path

    @provide(scope=Scope.APP)
    def forecaster(self) -> Forecaster:
        """statsforecast's AutoETS, imported on its first forecast (in the worker)."""
        return StatsForecastForecaster()


class MemoryInsightsProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def forecasts(self, tables: Tables) -> ForecastRepository:
        return InMemoryForecastRepository(tables)

    @provide
    def rules(self, tables: Tables) -> AlertRuleRepository:
        return InMemoryAlertRuleRepository(tables)

    @provide(scope=Scope.APP)
    def rule_reads(self, store: MemoryStore) -> AlertRuleReader:
        return InMemoryAlertRuleReader(store)

    @provide(scope=Scope.APP)
    def forecaster(self) -> Forecaster:
        return SeasonalNaiveForecaster()
