"""Billing: the catalog and its prices, checkout through the payment provider, orders and
subscriptions, invoices, credit notes, refunds, disputes and the ledger."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from dishka import AsyncContainer, Provider

from devforge.adapters.persistence.tables import billing as billing_tables
from devforge.adapters.persistence.tables import (
    billing_documents,
    billing_fees,
    billing_payouts,
    billing_tax,
    payments_sandbox,
    payout_accounts,
)
from devforge.application.billing.process_provider_event import ProcessProviderEvent
from devforge.application.billing.reconcile_unknown_checkouts import ReconcileUnknownCheckouts
from devforge.application.billing.record_dispute import (
    WhenDisputeLostPostToLedger,
    WhenDisputeOpenedHoldInLedger,
    WhenDisputeWonReleaseHold,
)
from devforge.application.billing.resolve_unknown_refunds import ResolveUnknownRefunds
from devforge.application.billing.run_payouts import RunPayouts
from devforge.application.billing.sandbox_checkout import ProviderWebhookDispatcher
from devforge.application.billing.settle_open_processor_fees import SettleOpenProcessorFees
from devforge.application.billing.when_invoice_issued_settle_processor_fees import (
    WhenInvoiceIssuedSettleProcessorFees,
)
from devforge.application.billing.when_order_fulfilled_send_receipt import WhenOrderFulfilledSendReceipt
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.billing.when_order_refunded_issue_credit_note import WhenOrderRefundedIssueCreditNote
from devforge.application.billing.when_order_taken_back_cancel_subscription import (
    WhenOrderTakenBackCancelSubscription,
)
from devforge.application.billing.when_payout_returned_by_provider import (
    WhenPayoutReturnedByProviderRestoreBalance,
)
from devforge.application.billing.when_subscription_payment_failed_send_dunning_mail import (
    WhenSubscriptionPaymentFailedSendDunningMail,
)
from devforge.application.billing.when_subscription_renewed_issue_invoice import WhenSubscriptionRenewedIssueInvoice
from devforge.application.billing.when_subscription_renewed_send_receipt import WhenSubscriptionRenewedSendReceipt
from devforge.bootstrap.adapter_choice import choose
from devforge.bootstrap.context import Context, PeriodicJob, tables_of
from devforge.bootstrap.providers.billing import (
    BillingUseCasesProvider,
    MemoryBillingProvider,
    MemoryVatIdRegistryProvider,
    OfflineVatIdRegistryProvider,
    RatesTableTaxProvider,
    SqlaBillingProvider,
    TaxJarTaxProvider,
    ViesVatIdRegistryProvider,
)
from devforge.bootstrap.providers.billing_documents import (
    BillingDocumentsOrdersProvider,
    BillingDocumentsUseCasesProvider,
    MemoryBillingDocumentsProvider,
    SqlaBillingDocumentsProvider,
)
from devforge.bootstrap.providers.billing_statements import (
    MemoryStatementsProvider,
    SqlaStatementsProvider,
    StatementsUseCasesProvider,
)
from devforge.bootstrap.providers.billing_tax import (
    BillingTaxUseCasesProvider,
    MemoryBillingTaxProvider,
    SqlaBillingTaxProvider,
)
from devforge.bootstrap.providers.payments import (
    MemoryPaymentsProvider,
    SandboxPaymentsProvider,
    StripePaymentsProvider,
)
from devforge.bootstrap.providers.payout_accounts import (
    MemoryPayoutAccountsProvider,
    PayoutAccountsUseCasesProvider,
    SandboxConnectProvider,
    SqlaPayoutAccountsProvider,
    StripeConnectProvider,
)
from devforge.bootstrap.providers.payouts import (
    MemoryPayoutsProvider,
    PayoutRunProvider,
    PayoutUseCasesProvider,
    SqlaPayoutsProvider,
)
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.billing import BillingSettings
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.roles import Role

log = structlog.get_logger(__name__)

_BUYER = {BillingPermission.ORDERS_PLACE, BillingPermission.INVOICES_READ_OWN, BillingPermission.REFUNDS_REQUEST}


def adapters(settings: Settings) -> Sequence[Provider]:
    billing = settings.section(BillingSettings)
    payments = {"sandbox": SandboxPaymentsProvider, "stripe": StripePaymentsProvider}
    connect = {"sandbox": SandboxConnectProvider, "stripe": StripeConnectProvider}
    tax = {"table": RatesTableTaxProvider, "taxjar": TaxJarTaxProvider}
    vies = {"offline": OfflineVatIdRegistryProvider, "rest": ViesVatIdRegistryProvider}
    return (
        choose("payment_provider", billing.payment_provider, payments),
        choose("payment_provider", billing.payment_provider, connect),
        choose("tax_backend", billing.tax_backend, tax),
        choose("vies", billing.vies, vies),
    )


async def dispatch_sandbox_webhooks(container: AsyncContainer) -> bool:
    """The embedded payment sandbox posts the signed events it owes to our own webhook
    endpoint (retrying with backoff); with a real provider there is nothing to send."""
    dispatcher = await container.get(ProviderWebhookDispatcher)
    sent = await dispatcher.dispatch_due()
    if sent:
        log.info("sandbox_webhooks_dispatched", events=sent)
    return False


async def reconcile_unknown_checkouts(container: AsyncContainer) -> bool:
    """Checkouts whose provider call timed out: the provider is asked, never called again blindly."""
    async with container() as scope:
        report = await (await scope.get(ReconcileUnknownCheckouts))()
    if report.found or report.cancelled:
        log.info("checkouts_reconciled", found=report.found, cancelled=report.cancelled)
    return False


async def resolve_unknown_refunds(container: AsyncContainer) -> bool:
    """Refunds whose provider call timed out: asked again with the same idempotency key."""
    async with container() as scope:
        resolved = await (await scope.get(ResolveUnknownRefunds))()
    if resolved:
        log.info("refunds_resolved", refunds=resolved)
    return False


PAYOUT_CHECK_SECONDS = 300


async def run_due_payouts(container: AsyncContainer) -> bool:
    """From the configured day of the month, the month's payout run until it has finished (each
    payee paid once, however often this runs, on however many workers); earlier runs' pending
    transfers are sent again with their own idempotency keys."""
    async with container() as scope:
        await (await scope.get(RunPayouts)).due()
    return False


async def settle_processor_fees(container: AsyncContainer) -> bool:
    """Fee estimates still open: the provider asked again for the real fee."""
    async with container() as scope:
        settled = await (await scope.get(SettleOpenProcessorFees))()
    if settled:
        log.info("processor_fees_settled", fees=settled)
    return False


CONTEXT = Context(
    name="billing",
    providers=(
        BillingUseCasesProvider,
        BillingDocumentsUseCasesProvider,
        BillingDocumentsOrdersProvider,
        StatementsUseCasesProvider,
        BillingTaxUseCasesProvider,
        PayoutUseCasesProvider,
        PayoutAccountsUseCasesProvider,
        PayoutRunProvider,
    ),
    sql=(
        SqlaBillingProvider,
        SqlaBillingDocumentsProvider,
        SqlaStatementsProvider,
        SqlaBillingTaxProvider,
        SqlaPayoutsProvider,
        SqlaPayoutAccountsProvider,
    ),
    memory=(
        MemoryPaymentsProvider,
        RatesTableTaxProvider,
        MemoryVatIdRegistryProvider,
        MemoryBillingProvider,
        MemoryBillingDocumentsProvider,
        MemoryStatementsProvider,
        MemoryBillingTaxProvider,
        MemoryPayoutsProvider,
        MemoryPayoutAccountsProvider,
    ),
    adapters=adapters,
    settings=BillingSettings,
    consumers=(
        ProcessProviderEvent,
        WhenOrderPaidIssueInvoice,
        WhenOrderRefundedIssueCreditNote,
        WhenDisputeOpenedHoldInLedger,
        WhenDisputeWonReleaseHold,
        WhenDisputeLostPostToLedger,
        WhenOrderFulfilledSendReceipt,
        WhenSubscriptionRenewedIssueInvoice,
        WhenSubscriptionRenewedSendReceipt,
        WhenSubscriptionPaymentFailedSendDunningMail,
        WhenOrderTakenBackCancelSubscription,
        WhenPayoutReturnedByProviderRestoreBalance,
        WhenInvoiceIssuedSettleProcessorFees,
    ),
    periodic_jobs=(
        PeriodicJob("dispatch_sandbox_webhooks", 1, dispatch_sandbox_webhooks),
        PeriodicJob("reconcile_unknown_checkouts", 60, reconcile_unknown_checkouts),
        PeriodicJob("resolve_unknown_refunds", 60, resolve_unknown_refunds),
        PeriodicJob("run_due_payouts", PAYOUT_CHECK_SECONDS, run_due_payouts),
        PeriodicJob("settle_processor_fees", 300, settle_processor_fees),
    ),
    http_routes="devforge.entrypoints.http.billing.routes",
    permissions={
        Role.CUSTOMER: _BUYER,
        Role.DEVELOPER: _BUYER | {BillingPermission.EXTENSIONS_SELL},
        Role.ADMIN: _BUYER
        | {BillingPermission.EXTENSIONS_SELL, BillingPermission.ADMIN, BillingPermission.FINANCE_READ},
        Role.FINANCE: {BillingPermission.FINANCE_READ},
    },
    tables=tables_of(
        billing_tables, billing_documents, billing_tax, billing_payouts, billing_fees, payments_sandbox, payout_accounts
    ),
)
