"""Apply a stored provider event (the worker's half of a webhook) by reading back, from the
provider, the current state of the object the event names, and bringing our order or
subscription in line with it.

An event is a notification, not a fact to replay: the same event twice, events in any order,
a refund before its payment, a dispute that names only a payment intent, all end in the same
state, because each reads what the provider holds now and every step only moves forward. What
each kind of event reads:

- a checkout, a payment, a refund or a dispute: the payment (by payment intent, else by charge;
  a subscription's checkout by its first invoice's payment), then ``SyncOrderPayment``;
- an invoice: the invoice; the first one is its order's payment, a later one a renewal;
- a subscription change: the subscription (``SyncSubscription.status``);
- a payment updated (Stripe's ``charge.updated``: an asynchronous capture's balance transaction
  arrived): its processor fee is trued up (``SettleProcessorFees``); the provider's balance
  available: every fee estimate still open is asked again;
- a connected account changed (``account.updated``): the account (``SyncPayoutAccount``);
- a type we do not handle, or an object the provider does not know: marked ignored.

The provider not answering raises (the delivery is retried with backoff; the inbox entry stays
unprocessed). The inbox entry is marked processed with the outcome in the delivery's
transaction, which this does not commit.
"""

from __future__ import annotations

import structlog

from devforge.application.billing.payment_gateway import PaymentGateway, ProviderEvent
from devforge.application.billing.ports import ProviderEventInbox
from devforge.application.billing.provider_events import event_from_json
from devforge.application.billing.published import ProviderEventReceivedV1
from devforge.application.billing.settle_processor_fees import SettleProcessorFees
from devforge.application.billing.sync_order_payment import SyncOrderPayment
from devforge.application.billing.sync_payout_account import SyncPayoutAccount
from devforge.application.billing.sync_subscription import SyncSubscription
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope

log = structlog.get_logger(__name__)

_INVOICE = ("invoice.paid", "invoice.payment_failed")
_SUBSCRIPTION = ("subscription.updated", "subscription.deleted")
_PAYOUT = ("transfer.reversed", "payout.failed")


class ProcessProviderEvent:
    name = "billing.process_provider_event"
    subscribes_to = (ProviderEventReceivedV1,)

    def __init__(
        self,
        inbox: ProviderEventInbox,
        gateway: PaymentGateway,
        sync_payment: SyncOrderPayment,
        sync_subscription: SyncSubscription,
        clock: Clock,
        fees: SettleProcessorFees,
        sync_account: SyncPayoutAccount,
    ) -> None:
        self._inbox, self._gateway, self._clock = inbox, gateway, clock
        self._sync_payment, self._sync_subscription, self._fees = sync_payment, sync_subscription, fees
        self._sync_account = sync_account

    async def handle(self, event: EventEnvelope) -> None:
        entry = await self._inbox.get(ProviderEventReceivedV1.decode(event).inbox_id)
        if entry is None or entry.processed_at is not None:
            return
        outcome = await self.apply(event_from_json(entry.payload))
        await self._inbox.mark_processed(entry.id, outcome, self._clock.now())
        log.info("provider_event_processed", provider_event=entry.provider_event_id, type=entry.type, outcome=outcome)

    async def apply(self, event: ProviderEvent) -> str:
        if event.type.startswith("stripe."):  # a type we do not handle: stored, acknowledged, ignored
            return "ignored: type not handled"
        if event.type in _PAYOUT:  # the money of a payout: billing.restore_returned_payout applies it
            return "applied by billing.restore_returned_payout"
        if event.type == "account.updated":
            return await self._sync_account(event.object_id)
        if event.type in _SUBSCRIPTION:
            return await self._sync_subscription.status(event.subscription_id or event.object_id)
        if event.type == "balance.available":
            return f"fees settled: {await self._fees.open_before(self._clock.now())}"
        if event.type == "payment.updated":
            reference = event.payment_id or event.charge_id
            return await self._fees.of_payment(reference) if reference else "ignored: names no payment"
        if event.type in _INVOICE:
            return await self._invoice(event.invoice_id or event.object_id, event.type == "invoice.payment_failed")
        reference = event.payment_id or event.charge_id
        if reference is None and event.invoice_id:  # a subscription's checkout: paid by its first invoice
            return await self._invoice(event.invoice_id, failed_attempt=False)
        if reference is None:
            return "ignored: names no payment"
        payment = await self._gateway.payment(reference)
        if payment is None:
            return "ignored: unknown to the provider"
        return await self._sync_payment(payment)

    async def _invoice(self, invoice_id: str, failed_attempt: bool) -> str:
        invoice = await self._gateway.invoice(invoice_id)
        if invoice is None:
            return "ignored: unknown to the provider"
        if not invoice.first:
            return await self._sync_subscription.renewal(invoice, failed_attempt=failed_attempt)
        payment = await self._gateway.payment(invoice.payment_id) if invoice.payment_id else None
        if payment is None:
            return "ignored: no payment yet"
        return await self._sync_payment(payment, invoice)
