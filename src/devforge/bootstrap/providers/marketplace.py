"""Marketplace: use cases and consumers (every profile), the review policy from settings, and the
repositories on SQL or memory. The malware scanner, DNS resolver, artifact signer and object
storage come from the distribution providers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial

from dishka import AsyncContainer, Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from devforge.adapters.memory.marketplace import (
    InMemoryCheckRecordRepository,
    InMemoryDownloadLedger,
    InMemoryExtensionRepository,
    InMemoryExtensionSearch,
    InMemoryPublisherRepository,
    InMemoryVersionRepository,
)
from devforge.adapters.memory.marketplace_catalog_reader import InMemoryCatalogReader
from devforge.adapters.memory.marketplace_channels import InMemoryDependencyRepository, InMemoryDistTagRepository
from devforge.adapters.memory.marketplace_names import InMemoryNameClaims
from devforge.adapters.memory.marketplace_ratings import InMemoryDownloaders, InMemoryRatingRepository
from devforge.adapters.memory.marketplace_read_models import InMemoryDownloadCounts, InMemoryRatingSummaries
from devforge.adapters.memory.marketplace_reads import (
    InMemoryCheckRecordReader,
    InMemoryMemberCatalogReader,
    InMemoryRatingReader,
)
from devforge.adapters.memory.marketplace_review_queue import InMemoryReviewQueue
from devforge.adapters.memory.marketplace_review_queue_reads import InMemoryReviewQueueReader
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.naming.reserved_names import ReservedNamesList
from devforge.adapters.naming.unicode_confusables import UnicodeConfusables
from devforge.adapters.persistence.listing_changes import PostgresListingChanges
from devforge.adapters.persistence.listing_index import ListingIndex
from devforge.adapters.persistence.marketplace import (
    SqlaCheckRecordRepository,
    SqlaExtensionRepository,
    SqlaPublisherRepository,
    SqlaVersionRepository,
)
from devforge.adapters.persistence.marketplace_catalog_reader import SqlaCatalogReader
from devforge.adapters.persistence.marketplace_channels import SqlaDependencyRepository, SqlaDistTagRepository
from devforge.adapters.persistence.marketplace_downloads import SqlaDownloadLedger, SqlaSeenDownloads
from devforge.adapters.persistence.marketplace_names import SqlaNameClaims
from devforge.adapters.persistence.marketplace_ratings import SqlaDownloaders, SqlaRatingRepository
from devforge.adapters.persistence.marketplace_read_models import SqlaDownloadCounts, SqlaRatingSummaries
from devforge.adapters.persistence.marketplace_reads import (
    SqlaCheckRecordReader,
    SqlaMemberCatalogReader,
    SqlaRatingReader,
)
from devforge.adapters.persistence.marketplace_review_queue import SqlaReviewQueue
from devforge.adapters.persistence.marketplace_review_queue_reads import SqlaReviewQueueReader
from devforge.adapters.persistence.marketplace_search import SqlaExtensionSearch
from devforge.adapters.scanning.review_processes import ProcessPoolAnalysis, review_cpus, served_checks
from devforge.application.billing.publisher_earnings import PublisherEarnings
from devforge.application.billing.publisher_payout_accounts import PublisherPayoutAccounts
from devforge.application.common.clock import Clock
from devforge.application.common.file_storage import FileStorage
from devforge.application.common.outbox import Outbox
from devforge.application.common.rate_limiter import RateLimiter, RouteRateLimiter
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.account_lookup import AccountLookup
from devforge.application.licensing.holdings import LicenseHoldings
from devforge.application.marketplace.browse_extensions import BrowseExtensions
from devforge.application.marketplace.channel_ports import DependencyRepository, DistTagRepository
from devforge.application.marketplace.decide_version import DecideVersionHandler
from devforge.application.marketplace.developer_dashboard import DeveloperDashboardReadings, ShowDeveloperDashboard
from devforge.application.marketplace.download_extension import (
    CompatibleVersion,
    DownloadExtension,
    DownloadLedger,
    DownloadLimit,
)
from devforge.application.marketplace.entitlements import EntitlementCheck
from devforge.application.marketplace.extension_sales import ExtensionSales
from devforge.application.marketplace.issue_install_token import InstallTokenLimit, IssueInstallToken
from devforge.application.marketplace.list_review_queue import ListReviewQueue
from devforge.application.marketplace.malware_scanner import MalwareScanner
from devforge.application.marketplace.manage_dist_tags import RemoveDistTagHandler, SetDistTagHandler, ShowDistTags
from devforge.application.marketplace.manage_extensions import (
    CreateExtensionHandler,
    DeleteExtensionHandler,
    GetExtension,
    UpdateExtensionHandler,
)
from devforge.application.marketplace.manage_members import AddPublisherMemberHandler, RemovePublisherMemberHandler
from devforge.application.marketplace.moderate_ratings import ListRatings, RemoveRatingHandler
from devforge.application.marketplace.name_guard import NameGuard
from devforge.application.marketplace.name_ports import Confusables, NameClaims, ReservedNames
from devforge.application.marketplace.package_checks import InThreadAnalysis, ReviewAnalysis
from devforge.application.marketplace.ports import (
    AccountDirectory,
    CatalogReader,
    CheckRecordReader,
    CheckRecordRepository,
    ExtensionRepository,
    InstallTokens,
    MemberCatalogReader,
    PublisherRepository,
    ReviewQueue,
    VersionRepository,
)
from devforge.application.marketplace.publisher_payouts import PublisherPayoutStatus
from devforge.application.marketplace.publisher_revenue import PublisherRevenue
from devforge.application.marketplace.quotas import PublishingQuotas, QuotaGate
from devforge.application.marketplace.rate_extension import (
    GetMyRating,
    RateExtensionHandler,
    RatingRules,
    RemoveMyRating,
)
from devforge.application.marketplace.rating_ports import Downloaders, RatingReader, RatingRepository
from devforge.application.marketplace.read_models import DownloadCounts, MarketplaceReadModels, RatingSummaries
from devforge.application.marketplace.rebuild_read_models import RebuildReadModels
from devforge.application.marketplace.register_publisher import RegisterPublisherHandler
from devforge.application.marketplace.request_review import RequestReviewHandler
from devforge.application.marketplace.review_pipeline import ReviewPipeline
from devforge.application.marketplace.review_policy import ReviewPolicy
from devforge.application.marketplace.review_queue_reader import ReviewQueueReader
from devforge.application.marketplace.review_slots import ReviewSlots
from devforge.application.marketplace.search import ExtensionSearch
from devforge.application.marketplace.show_review import ShowReview
from devforge.application.marketplace.signing_keys import ListSigningKeys
from devforge.application.marketplace.unpublish_version import UnpublishVersionHandler
from devforge.application.marketplace.upload_streams import UploadStreams
from devforge.application.marketplace.upload_version import UploadVersionHandler
from devforge.application.marketplace.verify_publisher_domain import (
    CheckDomainVerificationHandler,
    StartDomainVerificationHandler,
)
from devforge.application.marketplace.withdraw import (
    DeprecateExtensionHandler,
    YankVersionHandler,
)
from devforge.bootstrap.accounts import IdentityPublisherAddresses
from devforge.bootstrap.entitlements import LicensingEntitlementCheck
from devforge.bootstrap.publisher_payouts import BillingPublisherPayoutStatus
from devforge.bootstrap.publisher_revenue import BillingPublisherRevenue
from devforge.bootstrap.settings.marketplace import MarketplaceSettings
from devforge.domain.marketplace.approval import Probation
from devforge.domain.marketplace.code_quality import CodeQualityCheck


class MarketplaceUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        ExtensionSales,
        RegisterPublisherHandler,
        AddPublisherMemberHandler,
        RemovePublisherMemberHandler,
        StartDomainVerificationHandler,
        CheckDomainVerificationHandler,
        ShowDeveloperDashboard,
        CreateExtensionHandler,
        UpdateExtensionHandler,
        DeleteExtensionHandler,
        GetExtension,
        DecideVersionHandler,
        RequestReviewHandler,
        ShowReview,
        ListReviewQueue,
        BrowseExtensions,
        CompatibleVersion,
        YankVersionHandler,
        DeprecateExtensionHandler,
        UnpublishVersionHandler,
        ShowDistTags,
        SetDistTagHandler,
        RemoveDistTagHandler,
        RateExtensionHandler,
        GetMyRating,
        RemoveMyRating,
        ListRatings,
        RemoveRatingHandler,
        MarketplaceReadModels,
        RebuildReadModels,
        NameGuard,
    )

    confusables = provide(UnicodeConfusables, provides=Confusables, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def reserved_names(self, confusables: Confusables) -> ReservedNames:
        return ReservedNamesList(confusables)

    @provide(scope=Scope.APP)
    def publishing_quotas(self, marketplace: MarketplaceSettings) -> PublishingQuotas:
        return PublishingQuotas(
            publishers_per_day=marketplace.marketplace_publishers_per_day,
            extensions_per_day=marketplace.marketplace_extensions_per_day,
            versions_per_hour=marketplace.marketplace_versions_per_hour,
        )

    @provide(scope=Scope.APP)
    def rating_rules(self, marketplace: MarketplaceSettings) -> RatingRules:
        return RatingRules(timedelta(hours=marketplace.marketplace_rating_min_download_hours))

    @provide(scope=Scope.APP)
    def quota_gate(self, limiter: RateLimiter, quotas: PublishingQuotas) -> QuotaGate:
        return QuotaGate(limiter, quotas)

    signing_keys = provide(ListSigningKeys, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def dashboard_readings(self) -> DeveloperDashboardReadings:
        """One per process: a developer's dashboards asked at once share one reading."""
        return DeveloperDashboardReadings()

    @provide
    def publisher_payout_status(self, accounts: PublisherPayoutAccounts) -> PublisherPayoutStatus:
        """Billing's published interface serves the marketplace's port (the dashboard's payout account)."""
        return BillingPublisherPayoutStatus(accounts)

    @provide
    def publisher_revenue(self, earnings: PublisherEarnings) -> PublisherRevenue:
        """Billing's published interface serves the marketplace's port (the dashboard's revenue)."""
        return BillingPublisherRevenue(earnings)

    @provide
    def entitlements(self, holdings: LicenseHoldings) -> EntitlementCheck:
        """Licensing's published interface serves the marketplace's port."""
        return LicensingEntitlementCheck(holdings)

    @provide
    def accounts(self, lookup: AccountLookup) -> AccountDirectory:
        """Identity's published interface serves the marketplace's port."""
        return IdentityPublisherAddresses(lookup)

    @provide
    def download_extension(
        self,
        uow: UnitOfWork,
        catalog: CatalogReader,
        storage: FileStorage,
        ledger: DownloadLedger,
        outbox: Outbox,
        clock: Clock,
        marketplace: MarketplaceSettings,
        downloaders: Downloaders,
        entitlements: EntitlementCheck,
        limiter: RouteRateLimiter,
        installs: InstallTokens,
    ) -> DownloadExtension:
        lifetime = timedelta(minutes=marketplace.download_link_minutes)
        return DownloadExtension(
            uow,
            catalog,
            storage,
            ledger,
            outbox,
            clock,
            lifetime,
            downloaders=downloaders,
            entitlements=entitlements,
            limit=DownloadLimit(limiter, marketplace.marketplace_downloads_per_minute),
            installs=installs,
        )

    @provide
    def issue_install_token(
        self, installs: InstallTokens, limiter: RouteRateLimiter, clock: Clock, marketplace: MarketplaceSettings
    ) -> IssueInstallToken:
        limit = InstallTokenLimit(limiter, marketplace.marketplace_install_tokens_per_day)
        return IssueInstallToken(installs, limit, clock)

    @provide(scope=Scope.APP)
    def review_policy(self, marketplace: MarketplaceSettings) -> ReviewPolicy:
        return ReviewPolicy.of(
            disabled=marketplace.marketplace_checks_disabled,
            not_enforced=marketplace.marketplace_checks_not_enforced,
            not_required=marketplace.marketplace_checks_not_required,
            auto_approve_verified=marketplace.marketplace_auto_approve_verified,
            blocked_sha256=marketplace.marketplace_blocked_sha256,
            code_quality=CodeQualityCheck(
                min_coverage_percent=marketplace.marketplace_min_coverage_percent,
                lint_error_budget=marketplace.marketplace_lint_error_budget,
                lint_warning_budget=marketplace.marketplace_lint_warning_budget,
                coverage_report_required=marketplace.marketplace_coverage_report_required,
            ),
            probation=Probation(
                approved_versions=marketplace.marketplace_probation_approved_versions,
                age=timedelta(days=marketplace.marketplace_probation_days),
            ),
            limits=marketplace.archive_limits,
        )

    @provide(scope=Scope.APP)
    def review_slots(self, marketplace: MarketplaceSettings) -> ReviewSlots:
        return ReviewSlots(marketplace.marketplace_review_concurrency)

    @provide(scope=Scope.APP)
    async def review_analysis(
        self, policy: ReviewPolicy, marketplace: MarketplaceSettings
    ) -> AsyncIterator[ReviewAnalysis]:
        """The review's CPU work in child processes, one per review slot, off this process's GIL
        (the embedded profile serves requests from the process that reviews)."""
        if not marketplace.marketplace_review_processes:
            yield InThreadAnalysis(served_checks(policy))
            return
        analysis = ProcessPoolAnalysis(
            partial(served_checks, policy),
            marketplace.marketplace_review_concurrency,
            review_cpus(marketplace.marketplace_review_cpus),
        )
        yield analysis
        await analysis.close()

    @provide(scope=Scope.APP)
    def review_pipeline(
        self, policy: ReviewPolicy, scanner: MalwareScanner, analysis: ReviewAnalysis
    ) -> ReviewPipeline:
        return ReviewPipeline(policy, scanner, analysis)

    @provide
    def upload_version(
        self,
        uow: UnitOfWork,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        versions: VersionRepository,
        storage: FileStorage,
        outbox: Outbox,
        clock: Clock,
        marketplace: MarketplaceSettings,
        quotas: QuotaGate,
        streams: UploadStreams,
    ) -> UploadVersionHandler:
        return UploadVersionHandler(
            uow,
            publishers,
            extensions,
            versions,
            storage,
            outbox,
            clock,
            marketplace.max_package_bytes,
            quotas=quotas,
            streams=streams,
        )

    @provide(scope=Scope.APP)
    def upload_streams(self, marketplace: MarketplaceSettings) -> UploadStreams:
        """One per process: the uploads it reads at once."""
        return UploadStreams(marketplace.marketplace_upload_streams)


class SqlaMarketplaceProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    async def listing_index(self, engine: AsyncEngine, marketplace: MarketplaceSettings) -> AsyncIterator[ListingIndex]:
        """Browse and search answer from memory; on PostgreSQL, other processes' writes arrive by NOTIFY."""
        rows, pages = marketplace.marketplace_search_cache_rows, marketplace.marketplace_search_cache_pages
        index = ListingIndex(max_matched_rows=rows, max_pages=pages)
        if engine.dialect.name == "postgresql":
            dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            index.listen_with(PostgresListingChanges(index, dsn))
        yield index
        await index.close()

    publishers = provide(SqlaPublisherRepository, provides=PublisherRepository)
    extensions = provide(SqlaExtensionRepository, provides=ExtensionRepository)
    versions = provide(SqlaVersionRepository, provides=VersionRepository)
    records = provide(SqlaCheckRecordRepository, provides=CheckRecordRepository)
    catalog = provide(SqlaCatalogReader, provides=CatalogReader, scope=Scope.APP)
    member_catalog = provide(SqlaMemberCatalogReader, provides=MemberCatalogReader, scope=Scope.APP)
    rating_reader = provide(SqlaRatingReader, provides=RatingReader, scope=Scope.APP)
    record_reader = provide(SqlaCheckRecordReader, provides=CheckRecordReader, scope=Scope.APP)
    review_queue_reader = provide(SqlaReviewQueueReader, provides=ReviewQueueReader, scope=Scope.APP)

    @provide
    def search(self, container: AsyncContainer, index: ListingIndex) -> ExtensionSearch:
        """The request's session is taken at the first statement: a page from the index needs none."""
        return SqlaExtensionSearch(partial(container.get, AsyncSession), index)

    ledger = provide(SqlaDownloadLedger, provides=DownloadLedger)
    seen_downloads = provide(SqlaSeenDownloads, scope=Scope.APP)
    dist_tags = provide(SqlaDistTagRepository, provides=DistTagRepository)
    dependencies = provide(SqlaDependencyRepository, provides=DependencyRepository)
    ratings = provide(SqlaRatingRepository, provides=RatingRepository)
    downloaders = provide(SqlaDownloaders, provides=Downloaders)
    download_counts = provide(SqlaDownloadCounts, provides=DownloadCounts)
    rating_summaries = provide(SqlaRatingSummaries, provides=RatingSummaries)
    name_claims = provide(SqlaNameClaims, provides=NameClaims)
    review_queue = provide(SqlaReviewQueue, provides=ReviewQueue)


class MemoryMarketplaceProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def publishers(self, transaction: InMemoryUnitOfWork) -> PublisherRepository:
        return InMemoryPublisherRepository(transaction.store)

    @provide
    def extensions(self, transaction: InMemoryUnitOfWork) -> ExtensionRepository:
        return InMemoryExtensionRepository(transaction.store)

    @provide
    def versions(self, transaction: InMemoryUnitOfWork) -> VersionRepository:
        return InMemoryVersionRepository(transaction.store)

    @provide
    def records(self, transaction: InMemoryUnitOfWork) -> CheckRecordRepository:
        return InMemoryCheckRecordRepository(transaction.store)

    @provide(scope=Scope.APP)
    def catalog(self, store: MemoryStore) -> CatalogReader:
        return InMemoryCatalogReader(store)

    @provide(scope=Scope.APP)
    def member_catalog(self, store: MemoryStore) -> MemberCatalogReader:
        return InMemoryMemberCatalogReader(store)

    @provide(scope=Scope.APP)
    def rating_reader(self, store: MemoryStore) -> RatingReader:
        return InMemoryRatingReader(store)

    @provide(scope=Scope.APP)
    def record_reader(self, store: MemoryStore) -> CheckRecordReader:
        return InMemoryCheckRecordReader(store)

    @provide(scope=Scope.APP)
    def review_queue_reader(self, store: MemoryStore) -> ReviewQueueReader:
        return InMemoryReviewQueueReader(store)

    @provide
    def search(self, transaction: InMemoryUnitOfWork) -> ExtensionSearch:
        return InMemoryExtensionSearch(transaction.store)

    @provide
    def ledger(self, transaction: InMemoryUnitOfWork) -> DownloadLedger:
        return InMemoryDownloadLedger(transaction.store)

    @provide
    def dist_tags(self, transaction: InMemoryUnitOfWork) -> DistTagRepository:
        return InMemoryDistTagRepository(transaction.store)

    @provide
    def dependencies(self, transaction: InMemoryUnitOfWork) -> DependencyRepository:
        return InMemoryDependencyRepository(transaction.store)

    @provide
    def ratings(self, transaction: InMemoryUnitOfWork) -> RatingRepository:
        return InMemoryRatingRepository(transaction.store)

    @provide
    def downloaders(self, transaction: InMemoryUnitOfWork) -> Downloaders:
        return InMemoryDownloaders(transaction.store)

    @provide
    def download_counts(self, transaction: InMemoryUnitOfWork) -> DownloadCounts:
        return InMemoryDownloadCounts(transaction.store)

    @provide
    def rating_summaries(self, transaction: InMemoryUnitOfWork) -> RatingSummaries:
        return InMemoryRatingSummaries(transaction.store)

    @provide
    def name_claims(self, transaction: InMemoryUnitOfWork) -> NameClaims:
        return InMemoryNameClaims(transaction.store)

    @provide
    def review_queue(self, transaction: InMemoryUnitOfWork) -> ReviewQueue:
        return InMemoryReviewQueue(transaction.store)
