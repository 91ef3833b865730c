"""A payment provider in memory for tests: it records what it was asked, answers idempotently,
can be told to time out, and lets a test emit the provider's events."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from uuid import UUID

from devforge.application.billing.payment_gateway import (
    CheckoutRequest,
    CheckoutSession,
    PaymentProviderUnavailable,
    ProviderEvent,
    ProviderRefund,
    RefundRequest,
)


@dataclass
class InMemoryPaymentGateway:
    """``time_out_next`` makes the next that many calls raise ``PaymentProviderUnavailable``; with
    ``land_on_timeout`` the timed-out call still happened at the provider (what a reconciler must
    find), otherwise it never arrived."""

    provider: str = "memory"
    checkouts: dict[str, CheckoutRequest] = field(default_factory=dict)
    refunds: dict[str, RefundRequest] = field(default_factory=dict)
    events: list[ProviderEvent] = field(default_factory=list)
    time_out_next: int = 0
    land_on_timeout: bool = False
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
        return session

    async def find_checkout(self, order_id: UUID) -> CheckoutSession | None:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        found = [s for s in self._sessions.values() if self.checkouts[s.session_id].order_id == order_id]
        return found[-1] if found else None

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        timed_out = self._timing_out()
        if timed_out and not self.land_on_timeout:
            raise PaymentProviderUnavailable("memory provider timed out")
        answer = self._refund_answers.get(request.idempotency_key)
        if answer is None:
            answer = ProviderRefund(f"re_memory_{next(self._ids)}", "succeeded")
            self._refund_answers[request.idempotency_key] = answer
            self.refunds[answer.provider_refund_id] = request
        if timed_out:
            raise PaymentProviderUnavailable("memory provider timed out after the call landed")
        return answer

    async def events_since(self, since: datetime) -> list[ProviderEvent]:
        if self._timing_out():
            raise PaymentProviderUnavailable("memory provider timed out")
        return sorted((e for e in self.events if e.created >= since), key=lambda e: e.created)

    def emit(self, event: ProviderEvent) -> ProviderEvent:
        """Records an event as the provider's (what ``events_since`` replays) and returns it."""
        self.events.append(event)
        return event

    def complete_checkout(self, session_id: str, at: datetime | None = None) -> list[ProviderEvent]:
        """The buyer paid: emits checkout.completed and payment.succeeded for the session."""
        request = self.checkouts[session_id]
        at = at or datetime.now(UTC)
        total = sum(line.unit_amount * line.quantity + line.tax_amount for line in request.lines)
        payment_id = f"pi_memory_{session_id}"
        subscription_id = f"sub_memory_{session_id}" if any(line.recurring for line in request.lines) else None
        completed = ProviderEvent(
            event_id=f"evt_memory_{next(self._ids)}",
            type="checkout.completed",
            created=at,
            order_id=request.order_id,
            object_id=session_id,
            amount=total,
            currency=request.currency,
            payment_id=payment_id,
            subscription_id=subscription_id,
            period_end=None,
        )
        succeeded = replace(
            completed, event_id=f"evt_memory_{next(self._ids)}", type="payment.succeeded", object_id=payment_id
        )
        return [self.emit(completed), self.emit(succeeded)]

    def _timing_out(self) -> bool:
        if self.time_out_next > 0:
            self.time_out_next -= 1
            return True
        return False
