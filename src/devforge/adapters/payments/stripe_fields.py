"""Reading fields of Stripe's objects, shared by the event reader and the gateway's state reads.

Each reader raises ``TypeError``/``ValueError`` on a value of the wrong kind (the caller turns
that into "malformed"), and reads both API shapes where Stripe moved a field: an invoice's
subscription (``subscription`` or ``parent.subscription_details``), its payment
(``payment_intent`` or ``payments.data[].payment.payment_intent``), a subscription's period end
(top level or ``items.data[]``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID


def timestamp(value: Any) -> datetime | None:
    if value is None:
        return None
    if type(value) is not int:
        raise TypeError("a Stripe timestamp is an integer")
    return datetime.fromtimestamp(value, UTC)


def text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("expected a non-empty string")
    return value


def optional_id(value: Any) -> str | None:
    """An id, or the id of an expanded object, or None."""
    if isinstance(value, dict):
        value = value.get("id")
    return text(value) if value is not None else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def order_id_of(reference: Any) -> UUID | None:
    """Our order id from metadata; anything that is not a UUID was put there by someone else."""
    if not isinstance(reference, str):
        return None
    try:
        return UUID(reference)
    except ValueError:
        return None


def invoice_subscription(invoice: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The invoice's subscription id and that subscription's metadata (as the invoice carries it)."""
    parent = as_dict(as_dict(invoice.get("parent")).get("subscription_details"))
    details = parent or as_dict(invoice.get("subscription_details"))
    subscription = optional_id(invoice.get("subscription") or details.get("subscription"))
    return subscription, as_dict(details.get("metadata"))


def invoice_payment(invoice: dict[str, Any]) -> str | None:
    """The payment intent that paid (or is paying) the invoice."""
    older = optional_id(invoice.get("payment_intent"))
    if older:
        return older
    payments = as_dict(invoice.get("payments")).get("data") or []
    for entry in payments:
        found = optional_id(as_dict(as_dict(entry).get("payment")).get("payment_intent"))
        if found:
            return found
    return None


def invoice_period_end(invoice: dict[str, Any]) -> datetime | None:
    """The end of the service period paid for: the latest line period, else the invoice's own."""
    lines = as_dict(invoice.get("lines")).get("data") or []
    ends = [as_dict(as_dict(line).get("period")).get("end") for line in lines]
    known = [end for end in ends if end is not None]
    return timestamp(max(known)) if known else timestamp(invoice.get("period_end"))


def subscription_period_end(subscription: dict[str, Any]) -> datetime | None:
    items = as_dict(subscription.get("items")).get("data") or [{}]
    return timestamp(subscription.get("current_period_end") or as_dict(items[0]).get("current_period_end"))
