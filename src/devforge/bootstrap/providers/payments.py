"""Which payment provider serves billing: ``DEVFORGE_PAYMENT_PROVIDER`` selects one of two
providers (the sandbox in the embedded profile, Stripe in production), and the webhook verifier
takes the configured secrets. Swapping providers is one adapter and this one choice."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devforge.adapters.memory.payouts import InMemoryPayoutTransfers
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.adapters.payments.memory_sandbox_store import InMemorySandboxStore
from devforge.adapters.payments.sandbox_payment_gateway import SandboxPaymentGateway
from devforge.adapters.payments.sandbox_payout_transfers import SandboxPayoutTransfers
from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sqla_sandbox_store import SqlaSandboxStore
from devforge.adapters.payments.stripe_events import StripeWebhookVerifier
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.read_path import ReadPath
from devforge.application.billing.payment_gateway import PaymentGateway, WebhookVerifier
from devforge.application.billing.payout_run_ports import PayoutTransfers
from devforge.application.billing.sandbox_checkout import ProviderWebhookDispatcher, SandboxCheckout
from devforge.bootstrap.adapter_choice import AdapterProvider
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.billing import BillingSettings

WEBHOOK_PATH = "/api/payments/webhook"


def webhook_secrets(settings: Settings) -> list[str]:
    """The configured secrets; unset, a sandbox secret derived from the secret key (Stripe's
    come from its dashboard: ``StripePaymentsProvider`` requires them)."""
    billing = settings.section(BillingSettings)
    if billing.webhook_secrets:
        return list(billing.webhook_secrets)
    derived = hmac.new(settings.secret, b"payments:sandbox-webhook", hashlib.sha256).hexdigest()
    return ["whsec_" + derived]


def webhook_url(settings: Settings) -> str:
    return settings.http.resolved_public_base_url.rstrip("/") + WEBHOOK_PATH


class _SandboxPageProvider(AdapterProvider):
    """What both providers share: the sandbox's checkout page (which knows no session unless
    the sandbox takes the payments) and the verifier of signed webhooks."""

    scope = Scope.APP

    @provide
    def sandbox(self, settings: Settings, store: SandboxStore) -> SandboxPaymentGateway:
        return SandboxPaymentGateway(store, settings.http.resolved_public_base_url)

    @provide
    def checkout_page(self, sandbox: SandboxPaymentGateway) -> SandboxCheckout:
        return sandbox

    @provide
    def verifier(self, settings: Settings) -> WebhookVerifier:
        return StripeWebhookVerifier(webhook_secrets(settings))


class SandboxPaymentsProvider(_SandboxPageProvider):
    """``sandbox``: the built-in sandbox takes the payments, keeps its sessions in the app
    database and posts the signed events it owes to our own webhook."""

    @provide
    def sandbox_store(
        self, maker: async_sessionmaker[AsyncSession], reads: ReadPath, writes: LoopWrites
    ) -> SandboxStore:
        return SqlaSandboxStore(maker, reads, writes)

    @provide
    def gateway(self, sandbox: SandboxPaymentGateway) -> PaymentGateway:
        return sandbox

    @provide
    def dispatcher(self, settings: Settings, store: SandboxStore) -> ProviderWebhookDispatcher:
        return _sandbox_dispatcher(store, webhook_url(settings), webhook_secrets(settings)[0])

    @provide
    def sandbox_transfers(self, maker: async_sessionmaker[AsyncSession]) -> SandboxPayoutTransfers:
        return SandboxPayoutTransfers(maker)

    @provide
    def transfers(self, sandbox: SandboxPayoutTransfers) -> PayoutTransfers:
        return sandbox


class StripePaymentsProvider(_SandboxPageProvider):
    """``stripe``: Stripe takes the payments and sends its own webhooks; the sandbox page knows
    no session (404)."""

    requires = ("stripe_api_key", "webhook_secrets")
    label = "the Stripe payment provider"

    @provide
    def sandbox_store(self) -> SandboxStore:
        return InMemorySandboxStore()

    @provide
    async def gateway(self, billing: BillingSettings) -> AsyncIterator[PaymentGateway]:
        # Imported only where Stripe is chosen: the SDK is slow to import, at every start.
        from devforge.adapters.payments.stripe_payment_gateway import StripePaymentGateway

        gateway = StripePaymentGateway.connect(billing.stripe_api_key, billing.stripe_api_base)
        yield gateway
        await gateway.aclose()

    @provide
    def dispatcher(self) -> ProviderWebhookDispatcher:
        from devforge.adapters.payments.sandbox_webhook_dispatcher import NoWebhooksToDispatch

        return NoWebhooksToDispatch()

    @provide
    async def transfers(self, billing: BillingSettings) -> AsyncIterator[PayoutTransfers]:
        from devforge.adapters.payments.stripe_payout_transfers import StripePayoutTransfers

        transfers = StripePayoutTransfers.connect(billing.stripe_api_key, billing.stripe_api_base)
        yield transfers
        await transfers.aclose()


class MemoryPaymentsProvider(Provider):
    """Tests: ``InMemoryPaymentGateway`` as the provider (ask the container for it to emit events
    or time out); the sandbox page and its webhook push run on a memory store."""

    scope = Scope.APP

    @provide
    def memory_gateway(self) -> InMemoryPaymentGateway:
        return InMemoryPaymentGateway()

    @provide
    def gateway(self, memory: InMemoryPaymentGateway) -> PaymentGateway:
        return memory

    @provide
    def memory_transfers(self) -> InMemoryPayoutTransfers:
        return InMemoryPayoutTransfers()

    @provide
    def transfers(self, memory: InMemoryPayoutTransfers) -> PayoutTransfers:
        return memory

    @provide
    def sandbox_store(self) -> SandboxStore:
        return InMemorySandboxStore()

    @provide
    def sandbox(self, settings: Settings, store: SandboxStore) -> SandboxPaymentGateway:
        return SandboxPaymentGateway(store, settings.http.resolved_public_base_url)

    @provide
    def checkout_page(self, sandbox: SandboxPaymentGateway) -> SandboxCheckout:
        return sandbox

    @provide
    def verifier(self, settings: Settings) -> WebhookVerifier:
        return StripeWebhookVerifier(webhook_secrets(settings))

    @provide
    def dispatcher(self, settings: Settings, store: SandboxStore) -> ProviderWebhookDispatcher:
        return _sandbox_dispatcher(store, webhook_url(settings), webhook_secrets(settings)[0])


def _sandbox_dispatcher(store: SandboxStore, url: str, secret: str) -> ProviderWebhookDispatcher:
    """Imported when the first webhook is owed, not at every start: httpx is about 13 MiB of each
    API process (bench/README.md)."""
    from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher

    return SandboxWebhookDispatcher(store, url, secret)
