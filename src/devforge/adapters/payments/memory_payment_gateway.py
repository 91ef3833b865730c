"""A payment provider in memory for tests: it records what it was asked, answers idempotently,
can be told to time out, keeps the state of its payments, invoices and subscriptions (what the
state reads answer), and lets a test act as the provider's side (``MemoryProviderActivity``:
a buyer pays, a bank disputes, a renewal is charged...), each act emitting the provider's events."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from devforge.adapters.payments.memory_provider_activity import MemoryPayment, MemoryProviderActivity
from devforge.application.billing.payment_gateway import (
    CheckoutRequest,
    CheckoutSession,
    PaymentProviderUnavailable,
    ProviderBalanceTransaction,
    ProviderEvent,
    ProviderRefund,
    RefundRequest,
)
from devforge.application.billing.provider_state import ProviderInvoice, ProviderPayment, ProviderSubscription
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import FeeRate


class CheckoutCrashed(RuntimeError):
    """Not a provider's answer: the process died right after the provider's (``crash_after_next_checkout``)."""


@dataclass
class InMemoryPaymentGateway(MemoryProviderActivity):
    """``time_out_next`` makes the next that many calls raise ``PaymentProviderUnavailable``; with
    ``land_on_timeout`` the timed-out call still happened at the provider (what a reconciler must
    find), otherwise it never arrived."""

    provider: str = "memory"
    checkouts: dict[str, CheckoutRequest] = field(default_factory=dict)
    refunds: dict[str, RefundRequest] = field(default_factory=dict)
    events: list[ProviderEvent] = field(default_factory=list)
    payments: dict[str, MemoryPayment] = field(default_factory=dict)
    invoices: dict[str, ProviderInvoice] = field(default_factory=dict)
    subscriptions: dict[str, ProviderSubscription] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)
    time_out_next: int = 0
    land_on_timeout: bool = False
    crash_after_next_checkout: bool = False
    """The next checkout lands at the provider, then ``CheckoutCrashed`` stands in for our process
    dying before it wrote anything more."""
    fee_rate: FeeRate = field(default_factory=lambda: FeeRate(290, 30))
    """What the provider really takes of a charge (a test sets ``fees`` for one payment)."""
    fees: dict[str, int] = field(default_factory=dict)
    capture_later: bool = False
    """Payments made from now on get their balance transaction only at ``capture_balance``."""
    foreign_balance: list[ProviderBalanceTransaction] = field(default_factory=list)
    """Balance transactions of the provider's that name none of its payments (a test's)."""
    _sessions: dict[str, CheckoutSession] = field(default_factory=dict)
    _refund_answers: dict[str, ProviderRefund] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        timed_out = self._timing_out()
        if timed_out and not self.land_on_timeout:
            raise PaymentProviderUnavailable("memory provider timed out")
        session = self._sessions.get(request.idempotency_key)
        if session is None:
            session_id = f"cs_memory_{next(self._ids)}"
            session = CheckoutSession(self.provider, session_id, f"https://pay.example/{session_id}")
            self._sessions[request.idempotency_key] = session
            self.checkouts[session_id] = request
        if timed_out:
            raise PaymentProviderUnavailable("memory provider timed out after the call landed")
        if self.crash_after_next_checkout:
            self.crash_after_next_checkout = False
            raise CheckoutCrashed(session.session_id)
        return session

    async def find_checkout(self, order_id: UUID) -> CheckoutSession | None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        found = [s for s in self._sessions.values() if self.checkouts[s.session_id].order_id == order_id]
        return found[-1] if found else None

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        """Refuses ("failed") more than is left of the payment, as a provider does; a refund
        that lands emits ``charge.refunded`` with the running total."""
        timed_out = self._timing_out()
        if timed_out and not self.land_on_timeout:
            raise PaymentProviderUnavailable("memory provider timed out")
        answer = self._refund_answers.get(request.idempotency_key)
        if answer is None:
            payment = self._find(request.provider_payment_id)
            if payment is not None and not 0 < request.amount <= payment.amount - payment.refunded:
                answer = ProviderRefund("", "failed")
            else:  # a payment it never saw (a test's made-up order) is refunded as asked
                answer = ProviderRefund(f"re_memory_{next(self._ids)}", "succeeded")
                if payment is not None:
                    self.refund_at_provider(payment.payment_id, request.amount)
            self._refund_answers[request.idempotency_key] = answer
            self.refunds[answer.provider_refund_id or request.idempotency_key] = request
        if timed_out:
            raise PaymentProviderUnavailable("memory provider timed out after the call landed")
        return answer

    async def events_since(self, since: datetime) -> list[ProviderEvent]:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        return sorted((e for e in self.events if e.created >= since), key=lambda e: e.created)

    async def payment(self, reference: str) -> ProviderPayment | None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        found = self._find(reference)
        return found.state() if found else None

    async def invoice(self, invoice_id: str) -> ProviderInvoice | None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        return self.invoices.get(invoice_id)

    async def subscription(self, subscription_id: str) -> ProviderSubscription | None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        return self.subscriptions.get(subscription_id)

    async def cancel_subscription(self, subscription_id: str, idempotency_key: str) -> None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        subscription = self.subscriptions.get(subscription_id)
        if subscription is not None and not subscription.ended:
            self.cancelled.append(subscription_id)
            self.end_subscription(subscription_id)

    async def balance_transaction(self, reference: str) -> ProviderBalanceTransaction | None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        found = self._find(reference)
        if found is None or found.status != "succeeded" or not found.captured:
            return None
        return self._charge_balance(found)

    async def balance_transactions(self, start: datetime, end: datetime) -> list[ProviderBalanceTransaction]:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        found = [self._charge_balance(p) for p in self.payments.values() if p.status == "succeeded" and p.captured]
        found += [
            ProviderBalanceTransaction(
                f"txn_{refund_id}", "refund", -amount, 0, -amount, p.currency, at, p.payment_id, refund_id
            )
            for p in self.payments.values()
            for refund_id, amount, at in p.refunds
        ]
        found += self.foreign_balance
        return sorted((t for t in found if start <= t.created < end), key=lambda t: (t.created, t.transaction_id))

    def _charge_balance(self, payment: MemoryPayment) -> ProviderBalanceTransaction:
        fee = self.fees.get(
            payment.payment_id, self.fee_rate.of(Money.of(payment.amount, payment.currency)).amount_minor
        )
        return ProviderBalanceTransaction(
            transaction_id=f"txn_{payment.charge_id}",
            type="charge",
            amount=payment.amount,
            fee=fee,
            net=payment.amount - fee,
            currency=payment.currency,
            created=payment.created_at,
            payment_id=payment.payment_id,
            source_id=payment.charge_id,
            fee_details=(("stripe_fee", fee),),
        )

    def _find(self, reference: str) -> MemoryPayment | None:
        return self.payments.get(reference) or next(
            (p for p in self.payments.values() if p.charge_id == reference), None
        )

    def _timing_out(self) -> bool:
        if self.time_out_next > 0:
            self.time_out_next -= 1
            return True
        return False
