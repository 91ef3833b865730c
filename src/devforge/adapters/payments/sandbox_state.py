"""The sandbox's objects as ``PaymentGateway``'s state reads answer them. A paid session holds
what Stripe would hold as separate objects: the payment intent (and its charge, ``ch_`` with
the same suffix), for a subscription the first invoice and the subscription itself, whose
period is one interval from the payment (the sandbox never renews)."""

from __future__ import annotations

from datetime import datetime

from devforge.adapters.payments.sandbox_events import period_end
from devforge.adapters.payments.sandbox_store import SandboxDisputeRecord, SandboxSessionRecord
from devforge.application.billing.provider_state import (
    ProviderDispute,
    ProviderInvoice,
    ProviderPayment,
    ProviderSubscription,
)


def payment_state(session: SandboxSessionRecord, disputes: list[SandboxDisputeRecord]) -> ProviderPayment:
    assert session.payment_id is not None
    return ProviderPayment(
        payment_id=session.payment_id,
        status="succeeded" if session.status == "paid" else "pending",
        amount=session.total,
        currency=session.currency,
        refunded=session.refunded,
        order_id=session.order_id,
        subscription_id=session.subscription_id,
        invoice_id=session.invoice_id,
        disputes=tuple(ProviderDispute(d.id, d.status, d.amount, d.currency) for d in disputes),
    )


def invoice_state(session: SandboxSessionRecord) -> ProviderInvoice:
    assert session.invoice_id is not None and session.subscription_id is not None
    return ProviderInvoice(
        invoice_id=session.invoice_id,
        subscription_id=session.subscription_id,
        order_id=session.order_id,
        status="paid",
        amount=session.total,
        currency=session.currency,
        period_end=_period_end(session),
        payment_id=session.payment_id,
        first=True,
    )


def subscription_state(session: SandboxSessionRecord) -> ProviderSubscription:
    assert session.subscription_id is not None
    status = "ended" if session.subscription_status == "ended" else "active"
    return ProviderSubscription(session.subscription_id, session.order_id, status, _period_end(session))


def _period_end(session: SandboxSessionRecord) -> datetime | None:
    interval = next((line.recurring for line in session.lines if line.recurring), None)
    start = session.paid_at or session.created_at
    return period_end(start, interval) if interval else None
