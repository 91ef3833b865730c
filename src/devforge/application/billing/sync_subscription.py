"""Bring a subscription in line with the provider's: the one a paid order started, its renewals
and failed renewals (each read from the invoice, as it stands now), and its end.

- ``started``: recorded once, when its order's first payment is applied, with the first period
  (``SubscriptionStarted`` says what each period charges);
- ``renewal``: a paid renewal invoice extends the period (once: the period only moves forward)
  if it paid the order's total in its currency (the sale is then reported to the tax
  calculator under the renewal's own id), else the order is flagged; an invoice still
  open after a failed attempt is a failed renewal, unless its period is paid by now;
- the provider's subscription ended: ours ends (for good).
A renewal of a subscription not recorded yet raises ``SubscriptionNotYetKnown``: the delivery
is retried once the first payment is applied. Runs inside the caller's transaction.
"""

from __future__ import annotations

from uuid import uuid4

from devforge.application.billing.errors import SubscriptionNotYetKnown
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.ports import OrderRepository, SubscriptionRepository, TaxCalculator
from devforge.application.billing.provider_state import ProviderInvoice, ProviderSubscription
from devforge.application.billing.publication import record_events
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.domain.billing.errors import UnknownCurrency
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order
from devforge.domain.billing.subscription import PaidPeriod, Subscription, next_period_end
from devforge.domain.billing.tax_quote import TaxAddress


class SyncSubscription:
    def __init__(
        self,
        gateway: PaymentGateway,
        orders: OrderRepository,
        subscriptions: SubscriptionRepository,
        tax: TaxCalculator,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._gateway, self._orders, self._subscriptions = gateway, orders, subscriptions
        self._tax, self._outbox, self._clock = tax, outbox, clock

    async def started(self, order: Order, provider: ProviderSubscription, first: ProviderInvoice | None) -> bool:
        """The subscription ``order`` (paid) started; True when anything changed."""
        now = self._clock.now()
        subscription = await self._subscriptions.get_by_provider_id(provider.subscription_id, for_update=True)
        if subscription is None:
            period_end = (first.period_end if first else None) or provider.current_period_end
            subscription = Subscription(
                id=uuid4(),
                order_id=order.id,
                user_id=order.user_id,
                provider_subscription_id=provider.subscription_id,
                interval=order.interval,
                created_at=now,
                current_period_end=period_end or next_period_end(order.paid_at or now, order.interval),
            )
            subscription.started(order.total, now)
            if provider.ended:
                subscription.end(now)
            await self._subscriptions.add(subscription)
            await record_events(self._outbox, subscription)
            return True
        return await self._store(subscription, _state(subscription), provider.ended)

    async def renewal(self, invoice: ProviderInvoice, *, failed_attempt: bool = False) -> str:
        """A renewal invoice (not the first); ``failed_attempt``: the event reported a failed
        payment attempt."""
        subscription = await self._subscriptions.get_by_provider_id(invoice.subscription_id, for_update=True)
        if subscription is None:
            raise SubscriptionNotYetKnown(f"Subscription {invoice.subscription_id} is not recorded yet.")
        order = await self._orders.get(subscription.order_id, for_update=True)
        if order is None:
            return "ignored: unknown order"
        now = self._clock.now()
        before, problem_before = _state(subscription), order.payment_problem
        if invoice.paid and invoice.period_end is not None:
            try:
                amount: Money | None = Money.of(invoice.amount, invoice.currency)
            except UnknownCurrency:
                amount = None
                order.flag_payment_problem(f"A renewal paid in {invoice.currency}, a currency we do not know.", now)
            if amount is not None and order.renewal_accepted(amount, now):
                period = PaidPeriod(invoice.invoice_id, invoice.period_end, amount, invoice.payment_id)
                if subscription.renewed(period, now):
                    address = TaxAddress(order.tax_country, order.tax_region, order.vat_id)
                    await self._tax.commit(f"{order.id}:{invoice.invoice_id}", address, order.total)
        elif invoice.status == "open" and failed_attempt:
            subscription.payment_failed(now, invoice.period_end)
        if order.payment_problem != problem_before:
            await self._orders.update(order)
            await record_events(self._outbox, order)
        provider = await self._gateway.subscription(invoice.subscription_id)
        changed = await self._store(subscription, before, provider is not None and provider.ended)
        return "applied" if changed or order.payment_problem != problem_before else "no change"

    async def status(self, subscription_id: str) -> str:
        """A change to the subscription itself: only its end matters to us."""
        provider = await self._gateway.subscription(subscription_id)
        if provider is None:
            return "ignored: unknown to the provider"
        subscription = await self._subscriptions.get_by_provider_id(subscription_id, for_update=True)
        if subscription is None:  # recorded with its first payment, which reads this same state
            return "ignored: subscription not recorded yet"
        return "applied" if await self._store(subscription, _state(subscription), provider.ended) else "no change"

    async def _store(self, subscription: Subscription, before: tuple[object, ...], ended: bool) -> bool:
        if ended:
            subscription.end(self._clock.now())
        if _state(subscription) == before:
            return False
        await self._subscriptions.update(subscription)
        await record_events(self._outbox, subscription)
        return True


def _state(subscription: Subscription) -> tuple[object, ...]:
    return (
        subscription.status,
        subscription.current_period_end,
        subscription.past_due_since,
        subscription.grace_over_reported,
        subscription.ended_at,
    )
