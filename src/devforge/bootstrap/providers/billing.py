"""Billing: use cases (every profile), the tax calculator and the VAT id registry the settings
select, and the repositories on SQL or memory. The payment gateway and the webhook verifier come from the
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
from devforge.adapters.memory.billing_reads import InMemoryOrderReader, InMemoryProductReader
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.memory.vat_ids import InMemoryVatIdRegistry
from devforge.adapters.persistence.billing import (
    SqlaCatalogRepository,
    SqlaOrderRepository,
    SqlaProviderEventInbox,
    SqlaSubscriptionRepository,
)
from devforge.adapters.persistence.billing_reads import SqlaOrderReader, SqlaProductReader
from devforge.adapters.tax.offline_vat_id_registry import OfflineVatIdRegistry
from devforge.adapters.tax.rates_table import RatesTableTaxCalculator
from devforge.application.billing.commission_rates import CommissionRates
from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.get_pricing import GetPricingHandler
from devforge.application.billing.list_orders import GetOrder, ListOrders
from devforge.application.billing.manage_catalog import CreateCatalogProductHandler, SetPriceHandler
from devforge.application.billing.ports import (
    AccountDirectory,
    CatalogRepository,
    OrderReader,
    OrderRepository,
    ProductReader,
    ProviderEventInbox,
    SubscriptionRepository,
    TaxCalculator,
)
from devforge.application.billing.price_extension import PriceExtensionHandler
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
from devforge.application.identity.signed_in import SignedIn
from devforge.application.licensing.holdings import LicenseHoldings
from devforge.application.marketplace.extension_sales import ExtensionSales
from devforge.bootstrap.accounts import IdentityBuyerDirectory
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.extension_sellers import MarketplaceExtensionSellers
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.revenue_share import CommissionSchedule


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
        PriceExtensionHandler,
        CommissionRates,
    )

    @provide(scope=Scope.APP)
    def commission_schedule(self, billing: BillingSettings) -> CommissionSchedule:
        return billing.commission_schedule()

    @provide
    def extension_sellers(self, sales: ExtensionSales, holdings: LicenseHoldings) -> ExtensionSellers:
        """The marketplace's and licensing's published interfaces serve billing's port."""
        return MarketplaceExtensionSellers(sales, holdings)

    @provide(scope=Scope.APP)
    def vat_treatments(self, billing: BillingSettings, registry: VatIdRegistry, cache: Cache) -> VatTreatments:
        seller_country = billing.invoice_seller_country or None
        return VatTreatments(registry, cache, seller_country, cache_seconds=billing.vies_cache_hours * 3600)

    @provide
    def accounts(self, signed_in: SignedIn) -> AccountDirectory:
        """Identity's signed-in state serves billing's port (billing reads no identity table)."""
        return IdentityBuyerDirectory(signed_in)

    @provide(scope=Scope.APP)
    def return_urls(self, settings: Settings, billing: BillingSettings) -> CheckoutReturnUrls:
        return CheckoutReturnUrls.of(settings.http.resolved_public_base_url, billing.checkout_return_origins)


class RatesTableTaxProvider(AdapterProvider):
    """``DEVFORGE_TAX_BACKEND=table`` (and ``auto`` without a TaxJar token): the built-in rates."""

    tax = provide(RatesTableTaxCalculator, provides=TaxCalculator, scope=Scope.APP)


class TaxJarTaxProvider(AdapterProvider):
    requires = ("taxjar_api_token",)
    label = "the TaxJar tax backend"

    @provide(scope=Scope.APP)
    def tax(self, billing: BillingSettings) -> TaxCalculator:
        # Imported only where chosen: httpx (see ViesVatIdRegistryProvider).
        from devforge.adapters.tax.taxjar_tax_calculator import TaxJarTaxCalculator

        return TaxJarTaxCalculator(billing.taxjar_api_token, billing.taxjar_api_base)


class OfflineVatIdRegistryProvider(AdapterProvider):
    """``DEVFORGE_VIES=offline`` (embedded's default): every VAT id unverified, VAT charged."""

    registry = provide(OfflineVatIdRegistry, provides=VatIdRegistry, scope=Scope.APP)


class ViesVatIdRegistryProvider(AdapterProvider):
    """``DEVFORGE_VIES=rest`` (production's default): VIES's REST API. The seller's VAT id, when
    set, is sent as the requester."""

    requires = ("vies_api_base",)
    label = "VIES"

    @provide(scope=Scope.APP)
    async def registry(self, billing: BillingSettings) -> AsyncIterator[VatIdRegistry]:
        # Imported when first asked for (a VAT id to check), not at every start: httpx is about
        # 13 MiB of each API process (bench/README.md).
        from devforge.adapters.tax.vies_rest_vat_id_registry import ViesRestVatIdRegistry

        vies = ViesRestVatIdRegistry(
            billing.vies_api_base,
            requester_vat_id=billing.invoice_seller_vat_id or None,
            timeout_seconds=billing.vies_timeout_seconds,
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
    order_reader = provide(SqlaOrderReader, provides=OrderReader, scope=Scope.APP)
    product_reader = provide(SqlaProductReader, provides=ProductReader, scope=Scope.APP)
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

    @provide(scope=Scope.APP)
    def order_reader(self, store: MemoryStore) -> OrderReader:
        return InMemoryOrderReader(store)

    @provide(scope=Scope.APP)
    def product_reader(self, store: MemoryStore) -> ProductReader:
        return InMemoryProductReader(store)

    @provide
    def subscriptions(self, transaction: InMemoryUnitOfWork) -> SubscriptionRepository:
        return InMemorySubscriptionRepository(transaction.store)

    @provide
    def inbox(self, transaction: InMemoryUnitOfWork) -> ProviderEventInbox:
        return InMemoryProviderEventInbox(transaction.store)
