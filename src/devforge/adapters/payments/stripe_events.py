"""Stripe-shaped events (what Stripe sends, and what the sandbox imitates) as ``ProviderEvent``.

Stripe type -> our type: checkout.session.completed -> checkout.completed,
payment_intent.succeeded / payment_failed -> payment.succeeded / payment.failed, charge.refunded,
charge.dispute.created / closed -> dispute.opened / dispute.closed (outcome "won" or "lost"),
invoice.paid / payment_failed, customer.subscription.updated / deleted -> subscription.*.
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
from uuid import UUID

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
    stripe_type = _text(event["type"])
    obj: dict[str, Any] = event["data"]["object"]
    if not isinstance(obj, dict):
        raise TypeError("data.object")
    ours = TYPES.get(stripe_type)
    if ours is None:
        return _unhandled(event, stripe_type, obj)
    currency = _optional_text(obj.get("currency"))
    currency = currency.upper() if currency else None
    amount, payment_id, subscription_id, period_end, outcome = None, None, None, None, None
    metadata = _dict(obj.get("metadata"))
    if stripe_type.startswith("checkout.session."):
        amount = obj.get("amount_total")
        payment_id = _optional_text(obj.get("payment_intent"))
        subscription_id = _optional_text(obj.get("subscription"))
    elif stripe_type.startswith("payment_intent."):
        amount = obj.get("amount_received") or obj.get("amount")
        payment_id = _text(obj["id"])
    elif stripe_type.startswith("charge.dispute."):
        amount = obj.get("amount")
        payment_id = _optional_text(obj.get("payment_intent"))
        if stripe_type == "charge.dispute.closed":
            outcome = "lost" if obj.get("status") == "lost" else "won"
    elif stripe_type.startswith("charge."):
        amount = obj.get("amount_refunded") if stripe_type == "charge.refunded" else obj.get("amount")
        payment_id = _optional_text(obj.get("payment_intent"))
    elif stripe_type.startswith("invoice."):
        amount = obj.get("amount_paid") if stripe_type == "invoice.paid" else obj.get("amount_due")
        payment_id = _optional_text(obj.get("payment_intent"))
        details = _dict(_dict(obj.get("parent")).get("subscription_details")) or _dict(obj.get("subscription_details"))
        subscription_id = _optional_text(obj.get("subscription") or details.get("subscription"))
        metadata = metadata | _dict(details.get("metadata"))
        period_end = _invoice_period_end(obj)
    elif stripe_type.startswith("customer.subscription."):
        subscription_id = _text(obj["id"])
        items = _dict(obj.get("items")).get("data") or [{}]
        period_end = _time(obj.get("current_period_end") or _dict(items[0]).get("current_period_end"))
    order_ref = metadata.get("order_id") or obj.get("client_reference_id")
    return ProviderEvent(
        event_id=_text(event["id"]),
        type=ours,
        created=_time(event["created"]) or datetime.fromtimestamp(0, UTC),
        order_id=_order_id(order_ref),
        object_id=_text(obj["id"]),
        amount=from_stripe_amount(amount, currency).amount_minor if amount is not None and currency else None,
        currency=currency,
        payment_id=payment_id,
        subscription_id=subscription_id,
        period_end=period_end,
        outcome=outcome,
    )


def _unhandled(event: dict[str, Any], stripe_type: str, obj: dict[str, Any]) -> ProviderEvent:
    object_id = obj.get("id")
    return ProviderEvent(
        event_id=_text(event["id"]),
        type=f"stripe.{stripe_type}",
        created=_time(event.get("created")) or datetime.fromtimestamp(0, UTC),
        order_id=None,
        object_id=object_id if isinstance(object_id, str) else "",
        amount=None,
        currency=None,
        payment_id=None,
        subscription_id=None,
        period_end=None,
    )


def _order_id(reference: Any) -> UUID | None:
    if not isinstance(reference, str):
        return None
    try:
        return UUID(reference)
    except ValueError:
        return None


def _invoice_period_end(invoice: dict[str, Any]) -> datetime | None:
    """The end of the service period paid for: the latest line period, else the invoice's own."""
    lines = _dict(invoice.get("lines")).get("data") or []
    ends = [_dict(_dict(line).get("period")).get("end") for line in lines]
    known = [end for end in ends if end is not None]
    return _time(max(known)) if known else _time(invoice.get("period_end"))


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    if type(value) is not int:
        raise TypeError("a Stripe timestamp is an integer")
    return datetime.fromtimestamp(value, UTC)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("expected a non-empty string")
    return value


def _optional_text(value: Any) -> str | None:
    if isinstance(value, dict):  # an expanded object
        value = value.get("id")
    return _text(value) if value is not None else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
