"""The marketplace: publishers, extensions and their versions, review, search, downloads and
ratings, and the signed registry. Its read models (listings, download counts, rating summaries)
are kept by consumers of its own events."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import Provider

from devforge.adapters.persistence.tables import marketplace as marketplace_tables
from devforge.adapters.persistence.tables import marketplace_channels, marketplace_reviews
from devforge.application.marketplace.projections import (
    WhenCatalogChangedRestateListing,
    WhenDownloadCountedRecount,
    WhenRatingChangedSummarize,
)
from devforge.application.marketplace.run_review import WhenVersionUploadedRunReview
from devforge.application.marketplace.when_version_reviewed_mail_publisher import WhenVersionReviewedMailPublisher
from devforge.application.marketplace.withdraw import WhenArchiveWithdrawnPurgeCdn
from devforge.bootstrap.adapter_choice import choose
from devforge.bootstrap.context import Context, tables_of
from devforge.bootstrap.providers.marketplace import (
    MarketplaceUseCasesProvider,
    MemoryMarketplaceProvider,
    SqlaMarketplaceProvider,
)
from devforge.bootstrap.providers.marketplace_adapters import (
    BuiltinScannerProvider,
    ClamdScannerProvider,
    DnspythonDnsProvider,
    InstallTokensProvider,
    MemoryInstallTokensProvider,
    MemorySignerProvider,
    RegistrySignerProvider,
    StaticDnsProvider,
)
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings
from devforge.domain.identity.roles import Role
from devforge.domain.marketplace.permissions import MarketplacePermission

_PUBLISHER = {MarketplacePermission.EXTENSIONS_PUBLISH, MarketplacePermission.PUBLISHERS_MANAGE}


def adapters(settings: Settings) -> Sequence[Provider]:
    marketplace = settings.section(MarketplaceSettings)
    scanners = {"builtin": BuiltinScannerProvider, "clamd": ClamdScannerProvider}
    resolvers = {"static": StaticDnsProvider, "dnspython": DnspythonDnsProvider}
    return (
        choose("malware_scanner", marketplace.malware_scanner, scanners),
        choose("dns_resolver", marketplace.dns_resolver, resolvers),
        RegistrySignerProvider(),
        InstallTokensProvider(),
    )


CONTEXT = Context(
    name="marketplace",
    providers=(MarketplaceUseCasesProvider,),
    sql=(SqlaMarketplaceProvider,),
    memory=(
        MemoryMarketplaceProvider,
        BuiltinScannerProvider,
        StaticDnsProvider,
        MemorySignerProvider,
        MemoryInstallTokensProvider,
    ),
    adapters=adapters,
    settings=MarketplaceSettings,
    consumers=(
        WhenVersionUploadedRunReview,
        WhenVersionReviewedMailPublisher,
        WhenArchiveWithdrawnPurgeCdn,
        WhenCatalogChangedRestateListing,
        WhenDownloadCountedRecount,
        WhenRatingChangedSummarize,
    ),
    http_routes="devforge.entrypoints.http.marketplace.routes",
    permissions={Role.DEVELOPER: _PUBLISHER, Role.ADMIN: _PUBLISHER | {MarketplacePermission.EXTENSIONS_REVIEW}},
    tables=tables_of(marketplace_tables, marketplace_channels, marketplace_reviews),
)
