"""Analytics: events from the editors and facts from the other contexts, on an analytics engine
(ClickHouse in production, chDB embedded) behind the ``AnalyticsStore`` port; forecasts and
alert rules on the service's database, computed and evaluated by the worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import structlog
from dishka import AsyncContainer, Provider

from devforge.adapters.persistence.tables import analytics as analytics_tables
from devforge.application.analytics.compute_forecasts import ComputeForecasts
from devforge.application.analytics.evaluate_alert_rules import EvaluateAlertRules
from devforge.application.analytics.flush_event_buffer import FlushEventBuffer
from devforge.application.analytics.generate_due_reports import REPORT_CHECK_SECONDS, GenerateDueReports
from devforge.application.analytics.install_memo import OPT_OUT_REFRESH_SECONDS
from devforge.application.analytics.metrics.developers import DEVELOPER_METRICS
from devforge.application.analytics.metrics.extensions import EXTENSION_METRICS
from devforge.application.analytics.metrics.revenue import REVENUE_METRICS
from devforge.application.analytics.metrics.users import USER_METRICS
from devforge.application.analytics.publish_live_counts import PublishLiveCounts
from devforge.application.analytics.refresh_opt_outs import RefreshOptOuts
from devforge.application.analytics.run_due_exports import EXPORT_CHECK_SECONDS, RunDueExports
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.analytics.when_revenue_fact_published_keep_it import WhenRevenueFactPublishedKeepIt
from devforge.bootstrap.adapter_choice import choose
from devforge.bootstrap.context import Context, PeriodicJob, tables_of
from devforge.bootstrap.providers.analytics import (
    AnalyticsUseCasesProvider,
    ChdbStoreProvider,
    ClickHouseStoreProvider,
    InProcessClaimsProvider,
    InProcessLiveProvider,
    MemoryAnalyticsProvider,
    RedisClaimsProvider,
    RedisLiveProvider,
    SqlaAnalyticsProvider,
)
from devforge.bootstrap.providers.analytics_insights import (
    AnalyticsInsightsProvider,
    MemoryInsightsProvider,
    SqlaInsightsProvider,
)
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.analytics import AnalyticsSettings
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.identity.roles import Role

log = structlog.get_logger(__name__)
FORECAST_CHECK_SECONDS = 3600.0
ALERT_ROUND_SECONDS = 300.0


def adapters(settings: Settings) -> Sequence[Provider]:
    analytics = settings.section(AnalyticsSettings)
    stores = {"chdb": ChdbStoreProvider, "clickhouse": ClickHouseStoreProvider}
    claims = {"in_process": InProcessClaimsProvider, "redis": RedisClaimsProvider}
    live = {"in_process": InProcessLiveProvider, "redis": RedisLiveProvider}
    return (
        choose("analytics_store", analytics.analytics_store, stores),
        choose("analytics_dedup", analytics.analytics_dedup, claims),
        choose("analytics_live", analytics.analytics_live, live),
    )


def _flush_seconds(settings: Settings) -> float:
    return settings.section(AnalyticsSettings).analytics_flush_seconds


def _publish_seconds(settings: Settings) -> float:
    return settings.section(AnalyticsSettings).analytics_live_publish_seconds


class _AfterStart:
    """A job that skips its run at start. The API jobs: nothing is buffered before the first
    request, and the start is when the container (whose lock the requests share) is busiest;
    their later runs, and the one as the process stops, call the APP-scoped use case. The reports
    job: a worker's start is no time to load the analytics engine (chDB costs a process about
    290 MiB) and typeset PDFs; the period ended hours ago, and the next run is minutes away."""

    def __init__(self, run: Callable[[AsyncContainer], Awaitable[None]]) -> None:
        self._run = run
        self._started: set[int] = set()

    async def __call__(self, container: AsyncContainer) -> bool:
        if id(container) not in self._started:
            self._started.add(id(container))
            return False
        await self._run(container)
        return False


async def _flush(container: AsyncContainer) -> None:
    await (await container.get(FlushEventBuffer))()


async def _refresh(container: AsyncContainer) -> None:
    await (await container.get(RefreshOptOuts))()


async def _publish(container: AsyncContainer) -> None:
    await (await container.get(PublishLiveCounts))()


async def _generate_reports(container: AsyncContainer) -> None:
    async with container() as scope:
        await (await scope.get(GenerateDueReports))()


flush_events = _AfterStart(_flush)
"""Every API process writes what it buffered, every few seconds and once more as it stops."""
refresh_opt_outs = _AfterStart(_refresh)
publish_live_counts = _AfterStart(_publish)
"""Every API process hands what it counted to the shared live counters, ten times a second."""
generate_due_reports = _AfterStart(_generate_reports)
"""Each report's run for its last complete period, once (however many workers run this)."""


async def forecast_metrics(container: AsyncContainer) -> bool:
    """Once a day's history is complete: each forecast metric forecast, with its backtest."""
    async with container() as scope:
        report = await (await scope.get(ComputeForecasts))()
    if report.computed or report.too_short:
        log.info("analytics_forecasts", computed=list(report.computed), too_short=list(report.too_short))
    return False


async def evaluate_alerts(container: AsyncContainer) -> bool:
    """Every rule against its metric's last complete hour or day; a firing is mailed once."""
    async with container() as scope:
        report = await (await scope.get(EvaluateAlertRules))()
    if report.fired:
        log.info("analytics_alerts_fired", rules=report.rules, fired=report.fired)
    return False


async def run_due_exports(container: AsyncContainer) -> bool:
    """One queued (or abandoned) export written; True when it found one, so the next starts at once."""
    async with container() as scope:
        return await (await scope.get(RunDueExports))() is not None


CONTEXT = Context(
    name="analytics",
    providers=(AnalyticsUseCasesProvider, AnalyticsInsightsProvider),
    sql=(SqlaAnalyticsProvider, SqlaInsightsProvider),
    memory=(MemoryAnalyticsProvider, MemoryInsightsProvider),
    adapters=adapters,
    settings=AnalyticsSettings,
    consumers=(WhenFactPublishedRecordIt, WhenRevenueFactPublishedKeepIt),
    periodic_jobs=(
        PeriodicJob("forecast_analytics_metrics", FORECAST_CHECK_SECONDS, forecast_metrics),
        PeriodicJob("evaluate_analytics_alerts", ALERT_ROUND_SECONDS, evaluate_alerts),
        PeriodicJob("generate_analytics_reports", REPORT_CHECK_SECONDS, generate_due_reports),
        PeriodicJob("run_analytics_exports", EXPORT_CHECK_SECONDS, run_due_exports),
    ),
    api_jobs=(
        PeriodicJob("flush_analytics_events", _flush_seconds, flush_events),
        PeriodicJob("refresh_analytics_opt_outs", OPT_OUT_REFRESH_SECONDS, refresh_opt_outs),
        PeriodicJob("publish_analytics_live_counts", _publish_seconds, publish_live_counts),
    ),
    http_routes="devforge.entrypoints.http.analytics.routes",
    tables=tables_of(analytics_tables),
    metrics=(*USER_METRICS, *EXTENSION_METRICS, *DEVELOPER_METRICS, *REVENUE_METRICS),
    permissions={
        Role.ADMIN: {
            AnalyticsPermission.READ,
            AnalyticsPermission.OWN,
            AnalyticsPermission.KEYS_MANAGE,
            AnalyticsPermission.ERASE,
            AnalyticsPermission.ALERTS_MANAGE,
            AnalyticsPermission.EXPORT,
        },
        Role.ANALYST: {
            AnalyticsPermission.READ,
            AnalyticsPermission.OWN,
            AnalyticsPermission.ALERTS_MANAGE,
            AnalyticsPermission.EXPORT,
        },
        Role.DEVELOPER: {AnalyticsPermission.OWN},
    },
)
