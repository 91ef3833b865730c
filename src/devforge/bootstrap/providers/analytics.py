"""The analytics context's providers: the store and the dedup claims the settings choose, the
in-process write buffer, and the use cases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.analytics.chdb_process import ChdbProcessEngine
from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine, ChdbStatements
from devforge.adapters.analytics.clickhouse_store import ClickHouseAddress, ClickHouseAnalyticsStore
from devforge.adapters.documents.fpdf_report_renderer import FpdfReportRenderer
from devforge.adapters.memory.analytics import (
    InMemoryAnalyticsAdminReads,
    InMemoryAnalyticsStore,
    InMemoryErasureRecords,
    InMemoryEventClaims,
    InMemoryExportRepository,
    InMemoryIngestionKeyRepository,
    InMemoryLiveCounters,
    InMemoryReportListing,
    InMemoryReportRuns,
    InMemoryReportSubscriptions,
)
from devforge.adapters.memory.store import MemoryStore, Tables
from devforge.adapters.persistence.analytics import (
    SqlaAnalyticsAdminReads,
    SqlaErasureRecords,
    SqlaIngestionKeyRepository,
)
from devforge.adapters.persistence.analytics_exports import SqlaExportRepository
from devforge.adapters.persistence.analytics_report_listing import SqlaReportListing
from devforge.adapters.persistence.analytics_reports import SqlaReportRuns, SqlaReportSubscriptions
from devforge.adapters.redis.breaker import RedisCircuitBreaker
from devforge.adapters.redis.client import make_request_path_client
from devforge.adapters.redis.event_claims import RedisEventClaims
from devforge.adapters.redis.live_counters import RedisLiveCounters
from devforge.application.analytics.catalogue_report_figures import CatalogueReportFigures
from devforge.application.analytics.create_ingestion_key import CreateIngestionKey
from devforge.application.analytics.daily_salt import DailySalt
from devforge.application.analytics.erase_person import ErasePerson
from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricLimits
from devforge.application.analytics.event_buffer import EventBuffer
from devforge.application.analytics.figure_cache import FigureCache
from devforge.application.analytics.flush_event_buffer import FlushEventBuffer
from devforge.application.analytics.generate_due_reports import GenerateDueReports
from devforge.application.analytics.get_export import GetExport
from devforge.application.analytics.ingest_events import IngestEvents
from devforge.application.analytics.ingestion_credentials import CredentialMemo, IngestionCredentials
from devforge.application.analytics.ingestion_key_secrets import IngestionKeySecrets
from devforge.application.analytics.ingestion_policy import IngestionPolicy
from devforge.application.analytics.install_memo import InstallMemo
from devforge.application.analytics.ledger_revenue import LedgerRevenue
from devforge.application.analytics.list_erasures import ListErasures
from devforge.application.analytics.list_ingestion_keys import ListIngestionKeys
from devforge.application.analytics.list_metric_definitions import ListMetricDefinitions
from devforge.application.analytics.list_reports import ListReports, ReportListReadings
from devforge.application.analytics.live_view import LiveView
from devforge.application.analytics.metric_catalogue import MetricCatalogue
from devforge.application.analytics.pending_live_counts import PendingLiveCounts
from devforge.application.analytics.ports import (
    AnalyticsAdminReads,
    AnalyticsStore,
    ErasureRecords,
    EventClaims,
    ExportRepository,
    FigureOwners,
    IngestionKeyRepository,
    LicenseKeyHolders,
    LiveCounters,
    ReportFigures,
    ReportListing,
    ReportRenderer,
    ReportRuns,
    ReportSubscriptions,
)
from devforge.application.analytics.publish_live_counts import PublishLiveCounts
from devforge.application.analytics.reconcile_revenue import ReconcileRevenue
from devforge.application.analytics.refresh_opt_outs import RefreshOptOuts
from devforge.application.analytics.report_downloads import LinkToReportFile, ReportDownloads
from devforge.application.analytics.request_export import RequestExport
from devforge.application.analytics.revenue_figures import RevenueFigures
from devforge.application.analytics.revoke_ingestion_key import RevokeIngestionKey
from devforge.application.analytics.run_due_exports import RunDueExports
from devforge.application.analytics.show_dashboard import DashboardReadings, ShowDashboard
from devforge.application.analytics.store_report_figures import StoreReportFigures
from devforge.application.analytics.subscribe_to_report import SubscribeToReport
from devforge.application.analytics.unsubscribe_from_report import UnsubscribeFromReport
from devforge.application.analytics.watch_live_counters import LivePolicy, WatchLiveCounters
from devforge.application.billing.subscription_ledger import SubscriptionLedger
from devforge.application.common.clock import Clock
from devforge.application.licensing.key_holders import LicenseKeyLookup
from devforge.application.marketplace.memberships import PublisherMemberships
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.context import Contexts
from devforge.bootstrap.ledger_revenue import BillingLedgerRevenue
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.analytics import AnalyticsSettings


class AnalyticsUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        IngestEvents,
        IngestionCredentials,
        CreateIngestionKey,
        ListIngestionKeys,
        RevokeIngestionKey,
        LicenseKeyLookup,
        ErasePerson,
        ListErasures,
        RevenueFigures,
        ReconcileRevenue,
        EvaluateMetric,
        ListMetricDefinitions,
        ShowDashboard,
        PublisherMemberships,
        GenerateDueReports,
        ListReports,
        SubscribeToReport,
        UnsubscribeFromReport,
        LinkToReportFile,
        ReportDownloads,
        RequestExport,
        GetExport,
        RunDueExports,
    )

    @provide
    def ledger_revenue(self, ledger: SubscriptionLedger) -> LedgerRevenue:
        """Billing's published read of its ledger serves analytics' reconciliation."""
        return BillingLedgerRevenue(ledger)

    renderer = provide(FpdfReportRenderer, provides=ReportRenderer, scope=Scope.APP)

    @provide
    def report_figures(
        self, store: AnalyticsStore, catalogue: MetricCatalogue, evaluate: EvaluateMetric
    ) -> ReportFigures:
        """The metric catalogue, through its one entry point; the store's own query shapes for a
        figure it does not have yet."""
        return CatalogueReportFigures(catalogue, evaluate, StoreReportFigures(store))

    salt = provide(DailySalt, scope=Scope.APP)
    process_jobs = provide_all(FlushEventBuffer, RefreshOptOuts, PublishLiveCounts, scope=Scope.APP)
    """APP scope: the API jobs keep them, so a job that finds nothing to do touches no container."""
    live = provide_all(PendingLiveCounts, WatchLiveCounters, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def install_memo(self) -> InstallMemo:
        return InstallMemo()

    @provide(scope=Scope.APP)
    def credential_memo(self) -> CredentialMemo:
        return CredentialMemo()

    @provide
    def license_key_holders(self, lookup: LicenseKeyLookup) -> LicenseKeyHolders:
        """Licensing's published read, for analytics' port (only the composition root sees both)."""
        return lookup

    @provide
    def figure_owners(self, memberships: PublisherMemberships) -> FigureOwners:
        """The marketplace's published read, for analytics' port (only the composition root sees both)."""
        return memberships

    @provide(scope=Scope.APP)
    def metric_catalogue(self, contexts: Contexts) -> MetricCatalogue:
        """Every context's metrics (``Context.metrics``), gathered once."""
        return contexts.metric_catalogue()

    @provide(scope=Scope.APP)
    def metric_limits(self) -> MetricLimits:
        return MetricLimits()

    @provide(scope=Scope.APP)
    def report_list_readings(self) -> ReportListReadings:
        """Per process: the reports' runs asked at once share one reading."""
        return ReportListReadings()

    @provide(scope=Scope.APP)
    def dashboard_readings(self) -> DashboardReadings:
        """Per process: dashboards asked at once for the same scope share one reading."""
        return DashboardReadings()

    @provide(scope=Scope.APP)
    def figure_cache(self, analytics: AnalyticsSettings, clock: Clock) -> FigureCache:
        """Per process: each API process keeps its own recent figures."""
        return FigureCache(analytics.analytics_figures_ttl_seconds, analytics.analytics_figures_max_entries, clock.now)

    @provide(scope=Scope.APP)
    def secrets(self, settings: Settings) -> IngestionKeySecrets:
        return IngestionKeySecrets(settings.secret + b":analytics-ingestion-keys")

    @provide(scope=Scope.APP)
    def policy(self, analytics: AnalyticsSettings) -> IngestionPolicy:
        return IngestionPolicy(
            limits=analytics.limits,
            dedup_window_seconds=analytics.analytics_dedup_window_seconds,
            max_future_seconds=analytics.analytics_max_future_seconds,
            retention_days=analytics.analytics_retention_days,
        )

    @provide(scope=Scope.APP)
    def live_view(self, counters: LiveCounters, clock: Clock) -> LiveView:
        return LiveView(counters, clock)

    @provide(scope=Scope.APP)
    def live_policy(self, analytics: AnalyticsSettings) -> LivePolicy:
        return LivePolicy(streams_per_user=analytics.analytics_live_streams_per_user)

    @provide(scope=Scope.APP)
    def buffer(self, analytics: AnalyticsSettings, clock: Clock) -> EventBuffer:
        return EventBuffer(limit=3 * analytics.analytics_flush_events, now=clock.now)


class SqlaAnalyticsProvider(Provider):
    keys = provide(SqlaIngestionKeyRepository, provides=IngestionKeyRepository, scope=Scope.REQUEST)
    erasures = provide(SqlaErasureRecords, provides=ErasureRecords, scope=Scope.REQUEST)
    admin_reads = provide(SqlaAnalyticsAdminReads, provides=AnalyticsAdminReads, scope=Scope.APP)  # common read path
    report_runs = provide(SqlaReportRuns, provides=ReportRuns, scope=Scope.REQUEST)
    report_listing = provide(SqlaReportListing, provides=ReportListing, scope=Scope.APP)  # on the common read path
    exports = provide(SqlaExportRepository, provides=ExportRepository, scope=Scope.REQUEST)
    report_subscriptions = provide(SqlaReportSubscriptions, provides=ReportSubscriptions, scope=Scope.REQUEST)


class ChdbStoreProvider(AdapterProvider):
    """Embedded (or production when ``DEVFORGE_ANALYTICS_STORE=chdb``): ClickHouse's engine in one
    child process of the serving process (``DEVFORGE_ANALYTICS_CHDB_PROCESS``, the default), or in
    the process itself. In embedded the worker runs in the serving process: one child serves both."""

    scope = Scope.APP

    @provide
    async def store(self, analytics: AnalyticsSettings) -> AsyncIterator[AnalyticsStore]:
        engine: ChdbStatements
        if analytics.analytics_chdb_process:
            engine = ChdbProcessEngine(analytics.data_path)
        else:
            engine = ChdbEngine(analytics.data_path)
        yield ChdbAnalyticsStore(engine, analytics.clickhouse_database, analytics.analytics_retention_days)
        await asyncio.to_thread(engine.close)  # waits for a statement in progress, off the event loop


class ClickHouseStoreProvider(AdapterProvider):
    scope = Scope.APP
    requires = ("clickhouse_url", "clickhouse_user")
    label = "the ClickHouse analytics store"

    @provide
    async def store(self, analytics: AnalyticsSettings) -> AsyncIterator[AnalyticsStore]:
        address = ClickHouseAddress(
            analytics.clickhouse_url,
            analytics.clickhouse_user,
            analytics.clickhouse_password,
            analytics.clickhouse_database,
            analytics.clickhouse_timeout_seconds,
        )
        store = ClickHouseAnalyticsStore(address, analytics.analytics_retention_days)
        yield store
        await store.aclose()


class InProcessClaimsProvider(AdapterProvider):
    scope = Scope.APP

    @provide
    def claims(self) -> EventClaims:
        return InMemoryEventClaims()

    @provide
    def live(self) -> LiveCounters:
        return InMemoryLiveCounters()


class RedisClaimsProvider(AdapterProvider):
    """A Redis client of its own, with a longer timeout than the request path's: a batch's claim
    is one script over a thousand keys, and a busy API process may read its answer late; giving
    up on a claim Redis did apply would lose the batch (its resend answered ``duplicate``)."""

    scope = Scope.APP
    requires = ("redis_url",)
    label = "the analytics dedup window on Redis"

    @provide
    async def claims(self, settings: Settings, analytics: AnalyticsSettings) -> AsyncIterator[EventClaims]:
        timeout = analytics.analytics_dedup_timeout_seconds
        client = make_request_path_client(settings.redis.redis_url, timeout_seconds=timeout)
        yield RedisEventClaims(
            client, breaker=RedisCircuitBreaker(settings.redis.redis_breaker_seconds, probe=client.ping)
        )
        await client.aclose()


class InProcessLiveProvider(AdapterProvider):
    scope = Scope.APP

    @provide
    def live(self) -> LiveCounters:
        return InMemoryLiveCounters()


class RedisLiveProvider(AdapterProvider):
    """A client of its own with the request path's short timeout: a stream that cannot read the
    counters says so at once (degraded) rather than wait."""

    scope = Scope.APP
    requires = ("redis_url",)
    label = "the analytics live counters on Redis"

    @provide
    async def live(self, settings: Settings) -> AsyncIterator[LiveCounters]:
        redis = settings.redis
        client = make_request_path_client(redis.redis_url, timeout_seconds=redis.redis_timeout_seconds)
        yield RedisLiveCounters(client, breaker=RedisCircuitBreaker(redis.redis_breaker_seconds, probe=client.ping))
        await client.aclose()


class MemoryAnalyticsProvider(Provider):
    scope = Scope.APP

    @provide(scope=Scope.REQUEST)
    def keys(self, tables: Tables) -> IngestionKeyRepository:
        return InMemoryIngestionKeyRepository(tables)

    @provide(scope=Scope.REQUEST)
    def erasures(self, tables: Tables) -> ErasureRecords:
        return InMemoryErasureRecords(tables)

    @provide
    def admin_reads(self, store: MemoryStore) -> AnalyticsAdminReads:
        return InMemoryAnalyticsAdminReads(store)  # committed state: the store itself, not a scope's view

    @provide(scope=Scope.REQUEST)
    def exports(self, tables: Tables) -> ExportRepository:
        return InMemoryExportRepository(tables)

    @provide(scope=Scope.REQUEST)
    def report_runs(self, tables: Tables) -> ReportRuns:
        return InMemoryReportRuns(tables)

    @provide(scope=Scope.REQUEST)
    def report_subscriptions(self, tables: Tables) -> ReportSubscriptions:
        return InMemoryReportSubscriptions(tables)

    @provide(scope=Scope.REQUEST)
    def report_listing(self, tables: Tables) -> ReportListing:
        return InMemoryReportListing(tables)

    @provide
    def memory_store(self) -> InMemoryAnalyticsStore:
        return InMemoryAnalyticsStore()

    @provide
    def store(self, store: InMemoryAnalyticsStore) -> AnalyticsStore:
        return store

    @provide
    def claims(self) -> EventClaims:
        return InMemoryEventClaims()

    @provide
    def live(self) -> LiveCounters:
        return InMemoryLiveCounters()
