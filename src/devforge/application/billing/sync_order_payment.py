"""Bring an order in line with its payment as the provider holds it now.

Applied in one fixed order whatever event asked for it: the payment (paid only by exactly the
total in the order's currency, else flagged), the subscription it started, the running refunded
total (tax reported back in step), then the dispute. Every step only moves forward, so the same
state applied twice, or an older state applied after a newer one, changes nothing: whichever
event arrives first brings the order up to date, and the rest find nothing left to do.
Runs inside the caller's transaction and does not commit.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from devforge.application.billing.commission_rates import CommissionRates
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.ports import OrderRepository, SubscriptionRepository, TaxCalculator
from devforge.application.billing.provider_state import ProviderInvoice, ProviderPayment
from devforge.application.billing.publication import record_events
from devforge.application.billing.sync_subscription import SyncSubscription
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.errors import UnknownCurrency
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order
from devforge.domain.billing.subscription import access_until, next_period_end
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_quote import TaxAddress

log = structlog.get_logger(__name__)


class SyncOrderPayment:
    def __init__(
        self,
        gateway: PaymentGateway,
        orders: OrderRepository,
        subscriptions: SubscriptionRepository,
        sync_subscription: SyncSubscription,
        tax: TaxCalculator,
        outbox: Outbox,
        clock: Clock,
        commissions: CommissionRates,
    ) -> None:
        self._gateway, self._orders, self._subscriptions = gateway, orders, subscriptions
        self._sync_subscription, self._tax, self._outbox, self._clock = sync_subscription, tax, outbox, clock
        self._commissions = commissions

    async def __call__(self, payment: ProviderPayment, invoice: ProviderInvoice | None = None) -> str:
        """``invoice``: the subscription invoice this payment paid, when the caller has read it."""
        if invoice is None and payment.invoice_id:
            invoice = await self._gateway.invoice(payment.invoice_id)
        if invoice is not None and not invoice.first:
            return await self._sync_subscription.renewal(invoice)
        order_id = payment.order_id or (invoice.order_id if invoice else None)
        order = await self._orders.get(order_id, for_update=True) if order_id else None
        if order is None:
            return "ignored: unknown order"
        if order.payment_id not in (None, payment.payment_id):
            return "ignored: not this order's payment"
        subscription_id = payment.subscription_id or (invoice.subscription_id if invoice else None)
        provider_subscription = await self._gateway.subscription(subscription_id) if subscription_id else None
        now = self._clock.now()
        before = _state(order)
        period_end = provider_subscription.current_period_end if provider_subscription else None
        await self._pay(order, payment, invoice, period_end, now)
        if order.payment_problem and order.payment_problem != before[2]:
            log.error("provider_payment_mismatch", order_id=str(order.id), problem=order.payment_problem)
        if order.status.is_paid and payment.currency == order.currency.code:
            await self._refunds(order, Money(payment.refunded, order.currency), now)
            self._disputes(order, payment, now)
        changed = _state(order) != before
        if changed:
            await self._orders.update(order)
            await record_events(self._outbox, order)
        if order.recurring and order.status.is_paid and provider_subscription is not None:
            changed = await self._sync_subscription.started(order, provider_subscription, invoice) or changed
        return "applied" if changed else "no change"

    async def _pay(
        self,
        order: Order,
        payment: ProviderPayment,
        invoice: ProviderInvoice | None,
        current_period_end: datetime | None,
        now: datetime,
    ) -> None:
        if payment.status == "failed":
            order.payment_failed(now)
            return
        if not payment.succeeded:
            return
        try:
            amount = Money.of(payment.amount, payment.currency)
        except UnknownCurrency:
            order.flag_payment_problem(f"Paid {payment.amount} in {payment.currency}, a currency we do not know.", now)
            return
        until = None
        if order.recurring:
            period_end = (invoice.period_end if invoice else None) or current_period_end
            until = access_until(period_end or next_period_end(now, order.interval))
        # The commission of each line sold for a seller is the one in force now, fixed on the line.
        rates: tuple[int | None, ...] = ()
        if order.sold_for_sellers and not order.status.is_paid:
            rates = await self._commissions.for_order(order, now)
        if order.pay(payment.payment_id, amount, now, access_until=until, commissions=rates):
            await self._tax.commit(str(order.id), _address(order), order.total)

    async def _refunds(self, order: Order, refunded: Money, now: datetime) -> None:
        before = order.refunded_amount
        if not order.refunded_to(refunded, now):
            return
        # Tax goes back in step with the price: this refund split like the order's total; the
        # refund id is the running total, as our own refunds report it, so it is reported once.
        net, tax = allocate(
            order.refunded_amount - before, [order.total.net.amount_minor, order.total.tax.amount_minor]
        )
        refund_id = f"{order.id}:refund:{order.refunded_amount.amount_minor}"
        await self._tax.reverse(str(order.id), refund_id, _address(order), TaxedAmount.of(net, tax))

    @staticmethod
    def _disputes(order: Order, payment: ProviderPayment, now: datetime) -> None:
        for dispute in payment.disputes:
            held = (
                Money(dispute.amount, order.currency) if dispute.currency == order.currency.code else order.total.gross
            )
            order.dispute_opened(dispute.dispute_id, held, now)
            if dispute.closed:
                order.dispute_closed(dispute.dispute_id, dispute.status == "lost", held, now)


def _state(order: Order) -> tuple[object, ...]:
    return (
        order.status,
        order.payment_id,
        order.payment_problem,
        order.refunded_amount,
        order.disputed,
        order.dispute_lost,
        order.dispute_id,
    )


def _address(order: Order) -> TaxAddress:
    return TaxAddress(order.tax_country, order.tax_region, order.vat_id)
