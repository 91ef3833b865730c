"""Billing: use cases (every profile), the tax calculator, the VAT id registry, and the
repositories on SQL or memory. The payment gateway and the webhook verifier come from the
payments providers; the consumers from ``bootstrap/contexts/billing.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.memory.billing import (
    InMemoryCatalogRepository,
    InMemoryOrderRepository,
    InMemoryProviderEventInbox,
    InMemorySubscriptionRepository,
)
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.memory.vat_ids import InMemoryVatIdRegistry
from devforge.adapters.persistence.billing import (
    SqlaCatalogRepository,
    SqlaOrderRepository,
    SqlaProviderEventInbox,
    SqlaSubscriptionRepository,
)
from devforge.adapters.tax.offline_vat_id_registry import OfflineVatIdRegistry
from devforge.adapters.tax.rates_table import RatesTableTaxCalculator
from devforge.adapters.tax.taxjar_tax_calculator import TaxJarTaxCalculator
from devforge.adapters.tax.vies_rest_vat_id_registry import ViesRestVatIdRegistry
from devforge.application.billing.get_pricing import GetPricingHandler
from devforge.application.billing.list_orders import GetOrder, ListOrders
from devforge.application.billing.manage_catalog import CreateCatalogProductHandler, SetPriceHandler
from devforge.application.billing.ports import (
    AccountDirectory,
    CatalogRepository,
    OrderRepository,
    ProviderEventInbox,
    SubscriptionRepository,
    TaxCalculator,
)
from devforge.application.billing.receive_provider_event import (
    ReceiveProviderEvent,
    ReceiveWebhook,
    ReplayProviderEvents,
)
from devforge.application.billing.reconcile_unknown_checkouts import ReconcileUnknownCheckouts
from devforge.application.billing.return_urls import CheckoutReturnUrls
from devforge.application.billing.start_checkout import StartCheckoutHandler
from devforge.application.billing.sync_order_payment import SyncOrderPayment
from devforge.application.billing.sync_subscription import SyncSubscription
from devforge.application.billing.vat_id_registry import VatIdRegistry
from devforge.application.billing.vat_treatments import VatTreatments
from devforge.application.common.cache import Cache
from devforge.application.identity.account_lookup import AccountLookup
from devforge.bootstrap.accounts import IdentityBuyerDirectory
from devforge.bootstrap.settings import Settings, SettingsError


class BillingUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        CreateCatalogProductHandler,
        SetPriceHandler,
        GetPricingHandler,
        StartCheckoutHandler,
        ReconcileUnknownCheckouts,
        ReceiveProviderEvent,
        ReceiveWebhook,
        ReplayProviderEvents,
        SyncOrderPayment,
        SyncSubscription,
        ListOrders,
        GetOrder,
    )

    @provide(scope=Scope.APP)
    def vat_treatments(self, settings: Settings, registry: VatIdRegistry, cache: Cache) -> VatTreatments:
        seller_country = settings.invoice_seller_country or None
        return VatTreatments(registry, cache, seller_country, cache_seconds=settings.vies_cache_hours * 3600)

    @provide
    def accounts(self, lookup: AccountLookup) -> AccountDirectory:
        """Identity's published interface serves billing's port (billing reads no identity table)."""
        return IdentityBuyerDirectory(lookup)

    @provide(scope=Scope.APP)
    def return_urls(self, settings: Settings) -> CheckoutReturnUrls:
        return CheckoutReturnUrls.of(settings.resolved_public_base_url, settings.checkout_return_origins)


class RatesTableTaxProvider(Provider):
    """The built-in rates table, unless ``DEVFORGE_TAX_BACKEND`` (or, on "auto", a TaxJar token)
    picks TaxJar."""

    @provide(scope=Scope.APP)
    def tax(self, settings: Settings) -> TaxCalculator:
        wants_taxjar = settings.tax_backend == "taxjar" or (
            settings.tax_backend == "auto" and bool(settings.taxjar_api_token)
        )
        if wants_taxjar:
            if not settings.taxjar_api_token:
                raise SettingsError("DEVFORGE_TAXJAR_API_TOKEN must be set when the tax backend is TaxJar")
            return TaxJarTaxCalculator(settings.taxjar_api_token, settings.taxjar_api_base)
        return RatesTableTaxCalculator()


class VatIdRegistryProvider(Provider):
    """VIES over its REST API (production), or the offline stand-in (embedded), unless
    ``DEVFORGE_VIES`` names one. The seller's VAT id, when set, is sent as the requester."""

    @provide(scope=Scope.APP)
    async def registry(self, settings: Settings) -> AsyncIterator[VatIdRegistry]:
        if settings.resolved_vies == "offline":
            yield OfflineVatIdRegistry()
            return
        vies = ViesRestVatIdRegistry(
            settings.vies_api_base,
            requester_vat_id=settings.invoice_seller_vat_id or None,
            timeout_seconds=settings.vies_timeout_seconds,
        )
        yield vies
        await vies.aclose()


class MemoryVatIdRegistryProvider(Provider):
    """Tests: ``InMemoryVatIdRegistry`` (ask the container for it to register ids or go down)."""

    scope = Scope.APP

    @provide
    def memory(self) -> InMemoryVatIdRegistry:
        return InMemoryVatIdRegistry()

    @provide
    def registry(self, memory: InMemoryVatIdRegistry) -> VatIdRegistry:
        return memory


class SqlaBillingProvider(Provider):
    scope = Scope.REQUEST
    catalog = provide(SqlaCatalogRepository, provides=CatalogRepository)
    orders = provide(SqlaOrderRepository, provides=OrderRepository)
    subscriptions = provide(SqlaSubscriptionRepository, provides=SubscriptionRepository)
    inbox = provide(SqlaProviderEventInbox, provides=ProviderEventInbox)


class MemoryBillingProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def catalog(self, transaction: InMemoryUnitOfWork) -> CatalogRepository:
        return InMemoryCatalogRepository(transaction.store)

    @provide
    def orders(self, transaction: InMemoryUnitOfWork) -> OrderRepository:
        return InMemoryOrderRepository(transaction.store)

    @provide
    def subscriptions(self, transaction: InMemoryUnitOfWork) -> SubscriptionRepository:
        return InMemorySubscriptionRepository(transaction.store)

    @provide
    def inbox(self, transaction: InMemoryUnitOfWork) -> ProviderEventInbox:
        return InMemoryProviderEventInbox(transaction.store)
