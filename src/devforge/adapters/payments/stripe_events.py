"""Stripe-shaped events (what Stripe sends, and what the sandbox imitates) as ``ProviderEvent``.

Stripe type -> our type: checkout.session.completed -> checkout.completed,
payment_intent.succeeded / payment_failed -> payment.succeeded / payment.failed, charge.refunded,
charge.dispute.created / closed -> dispute.opened / dispute.closed (outcome "won" or "lost"),
invoice.paid / payment_failed, customer.subscription.updated / deleted -> subscription.*,
transfer.reversed and payout.failed (a connected account's: the event's ``account``) as they are,
charge.updated -> payment.updated (the processor's fee may be known now), balance.available,
account.updated (Connect: a connected account changed; its id is the object id).
Any other type passes as ``stripe.<type>``, with nothing read from its object but its id (if it
has one), so the inbox can store it, acknowledge it and ignore it: a type we do not handle is
never refused, or the provider would retry it for days.

Our order id travels in ``metadata.order_id`` (sessions, payment intents, subscriptions; an
invoice carries its subscription's metadata) or in a session's ``client_reference_id``; one
that is not a UUID was put there by someone else, and names no order of ours. Amounts
come back from Stripe's unit to our minor units (``from_stripe_amount``). Both the older API
shape (``invoice.subscription``, ``subscription.current_period_end``) and the newer one
(``invoice.parent.subscription_details``, ``items.data[].current_period_end``) are read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from devforge.adapters.payments.stripe_fields import (
    as_dict,
    invoice_payment,
    invoice_period_end,
    invoice_subscription,
    optional_id,
    order_id_of,
    subscription_period_end,
    text,
    timestamp,
)
from devforge.adapters.payments.stripe_signature import DEFAULT_TOLERANCE, verify_signature
from devforge.application.billing.payment_gateway import ProviderEvent, WebhookRejected
from devforge.domain.billing.stripe_amounts import from_stripe_amount
from devforge.domain.shared.errors import DomainError

TYPES = {
    "checkout.session.completed": "checkout.completed",
    "payment_intent.succeeded": "payment.succeeded",
    "payment_intent.payment_failed": "payment.failed",
    "charge.refunded": "charge.refunded",
    "charge.dispute.created": "dispute.opened",
    "charge.dispute.closed": "dispute.closed",
    "invoice.paid": "invoice.paid",
    "invoice.payment_failed": "invoice.payment_failed",
    "customer.subscription.updated": "subscription.updated",
    "customer.subscription.deleted": "subscription.deleted",
    "transfer.reversed": "transfer.reversed",
    "payout.failed": "payout.failed",
    "charge.updated": "payment.updated",  # e.g. its balance transaction (the real fee) arrived
    "balance.available": "balance.available",
    "account.updated": "account.updated",  # a Connect event: a payout account's onboarding state
}


class StripeWebhookVerifier:
    """Checks ``Stripe-Signature`` against any of ``secrets`` and reads the event."""

    def __init__(self, secrets: Sequence[str], tolerance: timedelta = DEFAULT_TOLERANCE) -> None:
        if not any(secrets):
            raise ValueError("at least one webhook secret is required")
        self._secrets = tuple(secret for secret in secrets if secret)
        self._tolerance = tolerance

    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        verify_signature(payload, signature_header, self._secrets, now, self._tolerance)
        try:
            event = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            raise WebhookRejected("malformed body") from None
        return provider_event(event)


def provider_event(event: Any) -> ProviderEvent:
    """Raises ``WebhookRejected("malformed body")`` when ``event`` is not a Stripe event."""
    try:
        return _read(event)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError, DomainError) as error:
        raise WebhookRejected(f"malformed body ({type(error).__name__})") from None


def _read(event: dict[str, Any]) -> ProviderEvent:
    stripe_type = text(event["type"])
    obj: dict[str, Any] = event["data"]["object"]
    if not isinstance(obj, dict):
        raise TypeError("data.object")
    ours = TYPES.get(stripe_type)
    if ours is None:
        return _unhandled(event, stripe_type, obj)
    currency = optional_id(obj.get("currency"))
    currency = currency.upper() if currency else None
    amount, payment_id, subscription_id, period_end, outcome = None, None, None, None, None
    charge_id, invoice_id = None, None
    metadata = as_dict(obj.get("metadata"))
    if stripe_type.startswith("checkout.session."):
        amount = obj.get("amount_total")
        payment_id = optional_id(obj.get("payment_intent"))
        subscription_id = optional_id(obj.get("subscription"))
        invoice_id = optional_id(obj.get("invoice"))
    elif stripe_type.startswith("payment_intent."):
        amount = obj.get("amount_received") or obj.get("amount")
        payment_id = text(obj["id"])
        charge_id = optional_id(obj.get("latest_charge"))
    elif stripe_type.startswith("charge.dispute."):
        amount = obj.get("amount")
        payment_id = optional_id(obj.get("payment_intent"))
        charge_id = optional_id(obj.get("charge"))
        if stripe_type == "charge.dispute.closed":
            outcome = "lost" if obj.get("status") == "lost" else "won"
    elif stripe_type.startswith("charge."):
        amount = obj.get("amount_refunded") if stripe_type == "charge.refunded" else obj.get("amount")
        payment_id = optional_id(obj.get("payment_intent"))
        charge_id = text(obj["id"])
    elif stripe_type.startswith("invoice."):
        amount = obj.get("amount_paid") if stripe_type == "invoice.paid" else obj.get("amount_due")
        payment_id = invoice_payment(obj)
        subscription_id, subscription_metadata = invoice_subscription(obj)
        metadata = metadata | subscription_metadata
        period_end = invoice_period_end(obj)
        invoice_id = text(obj["id"])
    elif stripe_type.startswith("customer.subscription."):
        subscription_id = text(obj["id"])
        period_end = subscription_period_end(obj)
    elif stripe_type in ("transfer.reversed", "payout.failed"):
        amount = obj.get("amount")
    elif stripe_type == "balance.available":  # the balance object: no id, amounts per currency
        currency = None
    order_ref = metadata.get("order_id") or obj.get("client_reference_id")
    return ProviderEvent(
        event_id=text(event["id"]),
        type=ours,
        created=timestamp(event["created"]) or datetime.fromtimestamp(0, UTC),
        order_id=order_id_of(order_ref),
        object_id=text(obj.get("id") or stripe_type),
        amount=from_stripe_amount(amount, currency).amount_minor if amount is not None and currency else None,
        currency=currency,
        payment_id=payment_id,
        subscription_id=subscription_id,
        period_end=period_end,
        outcome=outcome,
        charge_id=charge_id,
        invoice_id=invoice_id,
        account=optional_id(event.get("account")),
    )


def _unhandled(event: dict[str, Any], stripe_type: str, obj: dict[str, Any]) -> ProviderEvent:
    object_id = obj.get("id")
    return ProviderEvent(
        event_id=text(event["id"]),
        type=f"stripe.{stripe_type}",
        created=timestamp(event.get("created")) or datetime.fromtimestamp(0, UTC),
        order_id=None,
        object_id=object_id if isinstance(object_id, str) else "",
        amount=None,
        currency=None,
        payment_id=None,
        subscription_id=None,
        period_end=None,
    )
