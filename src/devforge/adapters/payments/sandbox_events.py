"""The Stripe-shaped events the sandbox emits, built the way Stripe shapes them (amounts in
Stripe's unit, lower-case currency, our order id in ``metadata.order_id``; a dispute carries
none of our metadata, only its payment intent and charge, as Stripe's do)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from devforge.adapters.payments.sandbox_store import SandboxDisputeRecord, SandboxEventRecord, SandboxSessionRecord
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.money import Money
from devforge.domain.billing.stripe_amounts import stripe_amount
from devforge.domain.billing.subscription import next_period_end


def new_id(prefix: str) -> str:
    return f"{prefix}_sandbox_{secrets.token_hex(12)}"


def stripe_units(amount: int, currency: str) -> int:
    return stripe_amount(Money.of(amount, currency))


def event(stripe_type: str, obj: dict[str, Any], at: datetime) -> SandboxEventRecord:
    event_id = new_id("evt")
    payload = {
        "id": event_id,
        "object": "event",
        "api_version": "sandbox",
        "created": int(at.timestamp()),
        "livemode": False,
        "type": stripe_type,
        "data": {"object": obj},
    }
    return SandboxEventRecord(id=event_id, created_at=at, payload=payload, next_attempt_at=at)


def payment_events(session: SandboxSessionRecord, at: datetime) -> list[SandboxEventRecord]:
    """What Stripe sends when a buyer pays: the session completed and the payment succeeded;
    for a subscription also the first invoice paid and the subscription made active."""
    currency = session.currency.lower()
    amount = stripe_units(session.total, session.currency)
    metadata = {"order_id": str(session.order_id)}
    completed = {
        "id": session.id,
        "object": "checkout.session",
        "mode": "subscription" if session.recurring else "payment",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": amount,
        "currency": currency,
        "client_reference_id": str(session.order_id),
        "customer_email": session.customer_email,
        "metadata": metadata,
        "payment_intent": None if session.recurring else session.payment_id,
        "subscription": session.subscription_id,
        "invoice": session.invoice_id,
    }
    intent = {
        "id": session.payment_id,
        "object": "payment_intent",
        "status": "succeeded",
        "amount": amount,
        "amount_received": amount,
        "currency": currency,
        "metadata": metadata,
        "latest_charge": charge_id(session),
    }
    events = [event("checkout.session.completed", completed, at), event("payment_intent.succeeded", intent, at)]
    if session.recurring:
        events += _subscription_events(session, at, amount, metadata)
    # One microsecond apart, so they list (and are pushed) in the order Stripe sends them.
    return [replace(e, created_at=e.created_at + timedelta(microseconds=i)) for i, e in enumerate(events)]


def _subscription_events(
    session: SandboxSessionRecord, at: datetime, amount: int, metadata: dict[str, str]
) -> list[SandboxEventRecord]:
    interval = next(line.recurring for line in session.lines if line.recurring)
    start, end = int(at.timestamp()), int(period_end(at, interval or "month").timestamp())
    invoice = {
        "id": session.invoice_id,
        "object": "invoice",
        "billing_reason": "subscription_create",
        "status": "paid",
        "amount_due": amount,
        "amount_paid": amount,
        "currency": session.currency.lower(),
        "payment_intent": session.payment_id,
        "subscription": session.subscription_id,
        "parent": {"subscription_details": {"subscription": session.subscription_id, "metadata": metadata}},
        "lines": {"data": [{"period": {"start": start, "end": end}}]},
        "period_start": start,
        "period_end": start,
    }
    subscription = {
        "id": session.subscription_id,
        "object": "subscription",
        "status": "active",
        "metadata": metadata,
        "current_period_start": start,
        "current_period_end": end,
        "items": {"data": [{"current_period_start": start, "current_period_end": end}]},
    }
    return [event("invoice.paid", invoice, at), event("customer.subscription.updated", subscription, at)]


def refund_event(session: SandboxSessionRecord, refunded_total: int, at: datetime) -> SandboxEventRecord:
    """Stripe's ``charge.refunded`` carries the charge, whose ``amount_refunded`` is cumulative."""
    charge = {
        "id": charge_id(session),
        "object": "charge",
        "amount": stripe_units(session.total, session.currency),
        "amount_refunded": stripe_units(refunded_total, session.currency),
        "refunded": refunded_total >= session.total,
        "currency": session.currency.lower(),
        "payment_intent": session.payment_id,
        "metadata": {"order_id": str(session.order_id)},
    }
    return event("charge.refunded", charge, at)


def charge_id(session: SandboxSessionRecord) -> str:
    return f"ch_{(session.payment_id or session.id).split('_', 1)[1]}"


def dispute_event(stripe_type: str, dispute: SandboxDisputeRecord, at: datetime) -> SandboxEventRecord:
    """``charge.dispute.created`` or ``.closed``: the dispute names its payment intent and charge."""
    status = {"open": "needs_response"}.get(dispute.status, dispute.status)
    obj = {
        "id": dispute.id,
        "object": "dispute",
        "amount": stripe_units(dispute.amount, dispute.currency),
        "currency": dispute.currency.lower(),
        "status": status,
        "reason": "fraudulent",
        "payment_intent": dispute.payment_id,
        "charge": f"ch_{dispute.payment_id.split('_', 1)[1]}",
    }
    return event(stripe_type, obj, at)


def subscription_ended_event(session: SandboxSessionRecord, at: datetime) -> SandboxEventRecord:
    subscription = {
        "id": session.subscription_id,
        "object": "subscription",
        "status": "canceled",
        "metadata": {"order_id": str(session.order_id)},
        "canceled_at": int(at.timestamp()),
    }
    return event("customer.subscription.deleted", subscription, at)


def period_end(start: datetime, interval: str) -> datetime:
    """One month (clamped to the month's last day) or one year after ``start``."""
    return next_period_end(start, BillingInterval(interval))
