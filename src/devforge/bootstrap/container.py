"""Build the dishka container for a profile.

``make_container(settings, *overrides)``: providers given later replace what earlier ones
provide, so a test swaps one adapter with one argument.
"""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container

from devforge.bootstrap.providers.access import AccessUseCasesProvider, MemoryAccessProvider, SqlaAccessProvider
from devforge.bootstrap.providers.account_recovery import (
    AccountRecoveryProvider,
    MemoryOneTimeTokenProvider,
    SqlaOneTimeTokenProvider,
)
from devforge.bootstrap.providers.authentication import (
    AuthenticationProvider,
    MemoryAuthenticationProvider,
    SqlaAuthenticationProvider,
)
from devforge.bootstrap.providers.billing import (
    BillingUseCasesProvider,
    MemoryBillingProvider,
    MemoryVatIdRegistryProvider,
    RatesTableTaxProvider,
    SqlaBillingProvider,
    VatIdRegistryProvider,
)
from devforge.bootstrap.providers.billing_documents import (
    BillingDocumentsOrdersProvider,
    BillingDocumentsUseCasesProvider,
    MemoryBillingDocumentsProvider,
    SqlaBillingDocumentsProvider,
)
from devforge.bootstrap.providers.core import CoreProvider
from devforge.bootstrap.providers.distribution import DistributionProvider, MemoryDistributionProvider
from devforge.bootstrap.providers.identity import (
    IdentitySecurityProvider,
    IdentityUseCasesProvider,
    MemoryIdentityProvider,
    MemoryIdentitySecurityProvider,
    SqlaIdentityProvider,
)
from devforge.bootstrap.providers.licensing import (
    DiskLicenseSignerProvider,
    LicensingUseCasesProvider,
    MemoryLicensingProvider,
    SqlaLicensingProvider,
)
from devforge.bootstrap.providers.marketplace import (
    MarketplaceUseCasesProvider,
    MemoryMarketplaceProvider,
    SqlaMarketplaceProvider,
)
from devforge.bootstrap.providers.notifications import NotificationsProvider
from devforge.bootstrap.providers.payments import MemoryPaymentsProvider, PaymentsProvider
from devforge.bootstrap.providers.persistence import MemoryPersistenceProvider, SqlaPersistenceProvider
from devforge.bootstrap.providers.services import (
    InProcessServicesProvider,
    LocalDiskStorageProvider,
    MaildirMailProvider,
    MemoryServicesProvider,
    RedisServicesProvider,
    S3StorageProvider,
    SmtpMailProvider,
)
from devforge.bootstrap.settings import Settings


def profile_providers(settings: Settings) -> list[Provider]:
    """Shared infrastructure for the profile, then each bounded context's providers."""
    services: Provider = RedisServicesProvider() if settings.profile == "production" else InProcessServicesProvider()
    mail: Provider = SmtpMailProvider() if settings.resolved_mail_backend == "smtp" else MaildirMailProvider()
    storage: Provider = S3StorageProvider() if settings.storage_backend == "s3" else LocalDiskStorageProvider()
    return [
        CoreProvider(),
        SqlaPersistenceProvider(),
        services,
        mail,
        storage,
        DistributionProvider(),
        MarketplaceUseCasesProvider(),
        SqlaMarketplaceProvider(),
        IdentityUseCasesProvider(),
        IdentitySecurityProvider(),
        SqlaIdentityProvider(),
        AccessUseCasesProvider(),
        SqlaAccessProvider(),
        AccountRecoveryProvider(),
        SqlaOneTimeTokenProvider(),
        AuthenticationProvider(),
        SqlaAuthenticationProvider(),
        LicensingUseCasesProvider(),
        SqlaLicensingProvider(),
        DiskLicenseSignerProvider(),
        PaymentsProvider(),
        BillingUseCasesProvider(),
        RatesTableTaxProvider(),
        VatIdRegistryProvider(),
        SqlaBillingProvider(),
        BillingDocumentsUseCasesProvider(),
        BillingDocumentsOrdersProvider(),
        SqlaBillingDocumentsProvider(),
        NotificationsProvider(),
    ]


def memory_providers() -> list[Provider]:
    """Every port on its in-memory adapter: what unit tests run the use cases on."""
    return [
        CoreProvider(),
        MemoryPersistenceProvider(),
        MemoryServicesProvider(),
        MemoryDistributionProvider(),
        MarketplaceUseCasesProvider(),
        MemoryMarketplaceProvider(),
        IdentityUseCasesProvider(),
        MemoryIdentitySecurityProvider(),
        MemoryIdentityProvider(),
        AccessUseCasesProvider(),
        MemoryAccessProvider(),
        AccountRecoveryProvider(),
        MemoryOneTimeTokenProvider(),
        AuthenticationProvider(),
        MemoryAuthenticationProvider(),
        LicensingUseCasesProvider(),
        MemoryLicensingProvider(),
        MemoryPaymentsProvider(),
        BillingUseCasesProvider(),
        RatesTableTaxProvider(),
        MemoryVatIdRegistryProvider(),
        MemoryBillingProvider(),
        BillingDocumentsUseCasesProvider(),
        BillingDocumentsOrdersProvider(),
        MemoryBillingDocumentsProvider(),
        NotificationsProvider(),
    ]


def make_container(settings: Settings, *overrides: Provider, base: list[Provider] | None = None) -> AsyncContainer:
    providers = profile_providers(settings) if base is None else base
    return make_async_container(*providers, *overrides, context={Settings: settings})
