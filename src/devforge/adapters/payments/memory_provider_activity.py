"""What happens on the provider's side of ``InMemoryPaymentGateway``, for tests to act out: the
buyer pays (or pays the wrong amount), a refund is made in the dashboard, the bank disputes a
payment and the dispute closes, a renewal is charged or fails, the subscription ends. Each act
changes the provider's state and emits the events the provider would send, shaped as Stripe's
are once normalized: a dispute names only its payment, a subscription's payment no order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from uuid import UUID

from devforge.application.billing.payment_gateway import CheckoutRequest, ProviderEvent
from devforge.application.billing.provider_state import (
    ProviderDispute,
    ProviderInvoice,
    ProviderPayment,
    ProviderSubscription,
)
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.subscription import next_period_end


@dataclass
class MemoryPayment:
    payment_id: str
    charge_id: str
    order_id: UUID
    amount: int
    currency: str
    status: str = "succeeded"
    refunded: int = 0
    subscription_id: str | None = None
    invoice_id: str | None = None
    disputes: list[ProviderDispute] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    captured: bool = True  # False: its balance transaction (the real fee) is not made yet
    refunds: list[tuple[str, int, datetime]] = field(default_factory=list)  # (refund id, amount, at)

    def state(self) -> ProviderPayment:
        return ProviderPayment(
            payment_id=self.payment_id,
            status=self.status,
            amount=self.amount,
            currency=self.currency,
            refunded=self.refunded,
            order_id=self.order_id,
            subscription_id=self.subscription_id,
            invoice_id=self.invoice_id,
            disputes=tuple(self.disputes),
        )


class MemoryProviderActivity:
    checkouts: dict[str, CheckoutRequest]
    events: list[ProviderEvent]
    payments: dict[str, MemoryPayment]
    invoices: dict[str, ProviderInvoice]
    subscriptions: dict[str, ProviderSubscription]
    capture_later: bool
    _ids: itertools.count[int]

    def emit(self, event: ProviderEvent) -> ProviderEvent:
        """Records an event as the provider's (what ``events_since`` replays) and returns it."""
        self.events.append(event)
        return event

    def complete_checkout(
        self, session_id: str, at: datetime | None = None, *, amount: int | None = None, currency: str | None = None
    ) -> list[ProviderEvent]:
        """The buyer paid (``amount``/``currency``: something else than asked, to test refusals):
        checkout.completed and payment.succeeded; for a subscription, its first invoice paid too."""
        request, at = self.checkouts[session_id], at or datetime.now(UTC)
        total = (
            amount
            if amount is not None
            else sum(line.unit_amount * line.quantity + line.tax_amount for line in request.lines)
        )
        payment = self._payment(request.order_id, total, currency or request.currency, at=at)
        interval = next((line.recurring for line in request.lines if line.recurring), None)
        completed = self._event("checkout.completed", at, session_id, payment, order_id=request.order_id)
        if interval is None:
            completed = replace(completed, payment_id=payment.payment_id)
            return [self.emit(completed), self.emit(self._event("payment.succeeded", at, payment.payment_id, payment))]
        subscription_id = f"sub_memory_{next(self._ids)}"
        end = next_period_end(at, BillingInterval(interval))
        self.subscriptions[subscription_id] = ProviderSubscription(subscription_id, request.order_id, "active", end)
        invoice = self._invoice(payment, subscription_id, request.order_id, end, first=True)
        completed = replace(
            completed, payment_id=None, charge_id=None, subscription_id=subscription_id, invoice_id=invoice.invoice_id
        )
        succeeded = replace(self._event("payment.succeeded", at, payment.payment_id, payment), order_id=None)
        return [self.emit(completed), self.emit(succeeded), self.emit(self._invoice_event("invoice.paid", at, invoice))]

    def refund_at_provider(self, payment_id: str, amount: int, at: datetime | None = None) -> ProviderEvent:
        payment = self.payments[payment_id]
        payment.refunded += amount
        payment.refunds.append((f"re_memory_{next(self._ids)}", amount, at or datetime.now(UTC)))
        refunded = self._event("charge.refunded", at or datetime.now(UTC), payment.charge_id, payment)
        return self.emit(replace(refunded, amount=payment.refunded))

    def open_dispute(self, payment_id: str, at: datetime | None = None, amount: int | None = None) -> ProviderEvent:
        payment = self.payments[payment_id]
        dispute = ProviderDispute(f"dp_memory_{next(self._ids)}", "open", amount or payment.amount, payment.currency)
        payment.disputes.append(dispute)
        return self.emit(self._dispute_event("dispute.opened", at, payment, dispute))

    def close_dispute(self, payment_id: str, *, lost: bool, at: datetime | None = None) -> ProviderEvent:
        payment = self.payments[payment_id]
        dispute = replace(payment.disputes[-1], status="lost" if lost else "won")
        payment.disputes[-1] = dispute
        closed = self._dispute_event("dispute.closed", at, payment, dispute)
        return self.emit(replace(closed, outcome=dispute.status))

    def renew(self, subscription_id: str, at: datetime | None = None, *, amount: int | None = None) -> ProviderEvent:
        """The next period is charged (or the open invoice of a failed renewal is paid at last)."""
        at, subscription = at or datetime.now(UTC), self.subscriptions[subscription_id]
        invoice = self._open_invoice(subscription, amount)
        payment = self.payments[invoice.payment_id or ""]
        payment.status = "succeeded"
        self.invoices[invoice.invoice_id] = replace(invoice, status="paid")
        self.subscriptions[subscription_id] = replace(
            subscription, status="active", current_period_end=invoice.period_end
        )
        return self.emit(self._invoice_event("invoice.paid", at, self.invoices[invoice.invoice_id]))

    def fail_renewal(self, subscription_id: str, at: datetime | None = None) -> ProviderEvent:
        subscription = self.subscriptions[subscription_id]
        invoice = self._open_invoice(subscription, None)
        self.subscriptions[subscription_id] = replace(subscription, status="past_due")
        return self.emit(self._invoice_event("invoice.payment_failed", at or datetime.now(UTC), invoice))

    def end_subscription(self, subscription_id: str, at: datetime | None = None) -> ProviderEvent:
        self.subscriptions[subscription_id] = replace(self.subscriptions[subscription_id], status="ended")
        event = self._event("subscription.deleted", at or datetime.now(UTC), subscription_id, None)
        return self.emit(replace(event, subscription_id=subscription_id))

    # Building blocks

    def capture_balance(self, payment_id: str, at: datetime | None = None) -> ProviderEvent:
        """An asynchronous capture completes: the payment's balance transaction (its real fee)
        exists from now on, and the provider says so (``payment.updated``)."""
        payment = self.payments[payment_id]
        payment.captured = True
        return self.emit(self._event("payment.updated", at or datetime.now(UTC), payment.charge_id, payment))

    def _payment(
        self, order_id: UUID, amount: int, currency: str, status: str = "succeeded", *, at: datetime | None = None
    ) -> MemoryPayment:
        number = next(self._ids)
        payment = MemoryPayment(f"pi_memory_{number}", f"ch_memory_{number}", order_id, amount, currency, status)
        payment.created_at, payment.captured = at or datetime.now(UTC), not self.capture_later
        self.payments[payment.payment_id] = payment
        return payment

    def _invoice(
        self, payment: MemoryPayment, subscription_id: str, order_id: UUID, end: datetime, *, first: bool
    ) -> ProviderInvoice:
        invoice = ProviderInvoice(
            invoice_id=f"in_memory_{next(self._ids)}",
            subscription_id=subscription_id,
            order_id=order_id,
            status="paid" if payment.status == "succeeded" else "open",
            amount=payment.amount,
            currency=payment.currency,
            period_end=end,
            payment_id=payment.payment_id,
            first=first,
        )
        payment.subscription_id, payment.invoice_id = subscription_id, invoice.invoice_id
        self.invoices[invoice.invoice_id] = invoice
        return invoice

    def _open_invoice(self, subscription: ProviderSubscription, amount: int | None) -> ProviderInvoice:
        """The subscription's open invoice, or a new one for the next period (its payment failed
        until ``renew`` pays it)."""
        for invoice in self.invoices.values():
            if invoice.subscription_id == subscription.subscription_id and invoice.status == "open":
                return invoice
        first = next(i for i in self.invoices.values() if i.subscription_id == subscription.subscription_id)
        request = next(r for r in self.checkouts.values() if r.order_id == subscription.order_id)
        interval = BillingInterval(next(line.recurring for line in request.lines if line.recurring))
        assert subscription.current_period_end is not None and subscription.order_id is not None
        end = next_period_end(subscription.current_period_end, interval)
        payment = self._payment(subscription.order_id, amount or first.amount, first.currency, status="failed")
        return self._invoice(payment, subscription.subscription_id, subscription.order_id, end, first=False)

    def _event(
        self, kind: str, at: datetime, object_id: str, payment: MemoryPayment | None, *, order_id: UUID | None = None
    ) -> ProviderEvent:
        return ProviderEvent(
            event_id=f"evt_memory_{next(self._ids)}",
            type=kind,
            created=at,
            order_id=order_id or (payment.order_id if payment else None),
            object_id=object_id,
            amount=payment.amount if payment else None,
            currency=payment.currency if payment else None,
            payment_id=payment.payment_id if payment else None,
            subscription_id=None,
            period_end=None,
            charge_id=payment.charge_id if payment else None,
        )

    def _dispute_event(
        self, kind: str, at: datetime | None, payment: MemoryPayment, dispute: ProviderDispute
    ) -> ProviderEvent:
        event = self._event(kind, at or datetime.now(UTC), dispute.dispute_id, payment)
        return replace(event, order_id=None, amount=dispute.amount)  # a dispute carries no metadata of ours

    def _invoice_event(self, kind: str, at: datetime, invoice: ProviderInvoice) -> ProviderEvent:
        return ProviderEvent(
            event_id=f"evt_memory_{next(self._ids)}",
            type=kind,
            created=at,
            order_id=invoice.order_id,
            object_id=invoice.invoice_id,
            amount=invoice.amount,
            currency=invoice.currency,
            payment_id=invoice.payment_id,
            subscription_id=invoice.subscription_id,
            period_end=invoice.period_end,
            invoice_id=invoice.invoice_id,
        )
