"""Payout accounts: the use cases (every profile), ``PayeeAccounts`` for the payout runs, the
repository on SQL or memory, and the provider's connected accounts the payment provider setting
selects (the embedded sandbox's, or Stripe Connect's)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devforge.adapters.memory.payout_accounts import InMemoryPayoutAccountReads, InMemoryPayoutAccountRepository
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.payments.memory_connected_accounts import InMemoryConnectedAccounts
from devforge.adapters.payments.memory_sandbox_accounts import InMemorySandboxAccountStore
from devforge.adapters.payments.memory_sandbox_store import InMemorySandboxStore
from devforge.adapters.payments.sandbox_accounts import SandboxConnectedAccounts
from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sqla_sandbox_accounts import SqlaSandboxAccountStore
from devforge.adapters.persistence.payout_accounts import SqlaPayoutAccountReads, SqlaPayoutAccountRepository
from devforge.application.billing.get_payout_account import GetPayoutAccount
from devforge.application.billing.list_payout_accounts import ListPayoutAccounts
from devforge.application.billing.payee_accounts import RecordedPayeeAccounts
from devforge.application.billing.payout_account_ports import (
    ConnectedAccounts,
    PayoutAccountReads,
    PayoutAccountRepository,
)
from devforge.application.billing.payout_ports import PayeeAccounts
from devforge.application.billing.publisher_payout_accounts import PublisherPayoutAccounts
from devforge.application.billing.sandbox_onboarding import SandboxOnboarding
from devforge.application.billing.start_payout_onboarding import StartPayoutOnboardingHandler
from devforge.application.billing.sync_payout_account import SyncPayoutAccount
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.billing import BillingSettings


class PayoutAccountsUseCasesProvider(Provider):
    scope = Scope.REQUEST
    use_cases = provide_all(
        StartPayoutOnboardingHandler, GetPayoutAccount, ListPayoutAccounts, SyncPayoutAccount, PublisherPayoutAccounts
    )

    @provide
    def payee_accounts(self, accounts: PayoutAccountRepository) -> PayeeAccounts:
        """What the payout runs read: the recorded accounts and their provider's last facts."""
        return RecordedPayeeAccounts(accounts)


class SqlaPayoutAccountsProvider(Provider):
    scope = Scope.REQUEST
    accounts = provide(SqlaPayoutAccountRepository, provides=PayoutAccountRepository)
    reads = provide(SqlaPayoutAccountReads, provides=PayoutAccountReads, scope=Scope.APP)  # the dashboard's glance


class MemoryPayoutAccountsProvider(Provider):
    """Tests: the repository on the memory store, and ``InMemoryConnectedAccounts`` as the
    provider (ask the container for it to change what the provider knows)."""

    @provide(scope=Scope.REQUEST)
    def accounts(self, transaction: InMemoryUnitOfWork) -> PayoutAccountRepository:
        return InMemoryPayoutAccountRepository(transaction.store)

    @provide(scope=Scope.APP)
    def reads(self, store: MemoryStore) -> PayoutAccountReads:
        return InMemoryPayoutAccountReads(store)

    @provide(scope=Scope.APP)
    def memory_connected_accounts(self) -> InMemoryConnectedAccounts:
        return InMemoryConnectedAccounts()

    @provide(scope=Scope.APP)
    def connected_accounts(self, memory: InMemoryConnectedAccounts) -> ConnectedAccounts:
        return memory

    @provide(scope=Scope.APP)
    def onboarding_page(self, settings: Settings, store: SandboxStore) -> SandboxOnboarding:
        """The sandbox's page on the memory sandbox's event queue (tests may drive it by hand)."""
        events = store if isinstance(store, InMemorySandboxStore) else None
        return SandboxConnectedAccounts(InMemorySandboxAccountStore(events), settings.http.resolved_public_base_url)


class SandboxConnectProvider(AdapterProvider):
    """``DEVFORGE_PAYMENT_PROVIDER=sandbox``: the sandbox's connected accounts, in the app
    database, onboarded on its local page; their events join the sandbox's webhook queue."""

    scope = Scope.APP

    @provide
    def sandbox_connect(self, settings: Settings, maker: async_sessionmaker[AsyncSession]) -> SandboxConnectedAccounts:
        return SandboxConnectedAccounts(SqlaSandboxAccountStore(maker), settings.http.resolved_public_base_url)

    @provide
    def connected_accounts(self, sandbox: SandboxConnectedAccounts) -> ConnectedAccounts:
        return sandbox

    @provide
    def onboarding_page(self, sandbox: SandboxConnectedAccounts) -> SandboxOnboarding:
        return sandbox


class StripeConnectProvider(AdapterProvider):
    """``DEVFORGE_PAYMENT_PROVIDER=stripe``: Stripe Connect Express; the sandbox's onboarding
    page knows no account (404)."""

    scope = Scope.APP
    requires = ("stripe_api_key",)
    label = "Stripe Connect"

    @provide
    async def connected_accounts(self, billing: BillingSettings) -> AsyncIterator[ConnectedAccounts]:
        # Imported only where Stripe is chosen: the SDK is slow to import.
        from devforge.adapters.payments.stripe_connected_accounts import StripeConnectedAccounts

        accounts = StripeConnectedAccounts.connect(billing.stripe_api_key, billing.stripe_api_base)
        yield accounts
        await accounts.aclose()

    @provide
    def onboarding_page(self, settings: Settings) -> SandboxOnboarding:
        return SandboxConnectedAccounts(InMemorySandboxAccountStore(), settings.http.resolved_public_base_url)
