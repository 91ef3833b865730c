"""Stripe's objects (as plain dicts) as billing's ``provider_state``: amounts back to our minor
units, statuses normalized.

- payment intent: ``succeeded``; ``canceled``, or awaiting a new method after a failed attempt,
  is "failed"; anything else "pending". The refunded total is its latest charge's.
- dispute: ``won`` and ``warning_closed`` are "won", ``lost`` is "lost", the rest "open".
- invoice: ``paid``; ``void`` and ``uncollectible`` are "void"; the rest "open". The first
  invoice of a subscription has ``billing_reason`` "subscription_create".
- balance transaction: Stripe's ``type`` "charge" and "payment" are "charge", "refund" and
  "payment_refund" "refund", "adjustment" (a dispute's withdrawal or its return) "dispute",
  "payout", "transfer", "stripe_fee" "fee", the rest "other"; its source's payment intent names
  the payment (a refund's and a dispute's too).
- subscription: ``canceled`` and ``incomplete_expired`` are "ended"; ``past_due`` and
  ``unpaid`` "past_due"; ``incomplete`` "incomplete"; the rest "active".
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

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
from devforge.application.billing.payment_gateway import ProviderBalanceTransaction
from devforge.application.billing.provider_state import (
    ProviderDispute,
    ProviderInvoice,
    ProviderPayment,
    ProviderSubscription,
)
from devforge.domain.billing.stripe_amounts import from_stripe_amount

_DISPUTE = {"won": "won", "warning_closed": "won", "lost": "lost"}
_INVOICE = {"paid": "paid", "void": "void", "uncollectible": "void"}
_SUBSCRIPTION = {
    "canceled": "ended",
    "incomplete_expired": "ended",
    "past_due": "past_due",
    "unpaid": "past_due",
    "incomplete": "incomplete",
}


def ours(amount: Any, currency: str) -> int:
    return from_stripe_amount(int(amount or 0), currency).amount_minor


def payment(
    intent: dict[str, Any],
    disputes: list[dict[str, Any]],
    invoice: dict[str, Any] | None = None,
) -> ProviderPayment:
    """``invoice``: the invoice this intent paid (a subscription's), if any."""
    currency = text(intent["currency"]).upper()
    status = intent.get("status")
    failed = status == "canceled" or (status == "requires_payment_method" and intent.get("last_payment_error"))
    normalized = "succeeded" if status == "succeeded" else "failed" if failed else "pending"
    charge = as_dict(intent.get("latest_charge"))
    order_id = order_id_of(as_dict(intent.get("metadata")).get("order_id"))
    subscription_id = None
    if invoice is not None:
        subscription_id, subscription_metadata = invoice_subscription(invoice)
        order_id = order_id or order_id_of(subscription_metadata.get("order_id"))
    received = intent.get("amount_received") if normalized == "succeeded" else intent.get("amount")
    return ProviderPayment(
        payment_id=text(intent["id"]),
        status=normalized,
        amount=ours(received, currency),
        currency=currency,
        refunded=ours(charge.get("amount_refunded"), currency),
        order_id=order_id,
        subscription_id=subscription_id,
        invoice_id=optional_id(invoice.get("id")) if invoice else None,
        disputes=tuple(_dispute(d) for d in sorted(disputes, key=lambda d: (d.get("created") or 0, d["id"]))),
    )


def _dispute(dispute: dict[str, Any]) -> ProviderDispute:
    currency = text(dispute["currency"]).upper()
    status = _DISPUTE.get(str(dispute.get("status")), "open")
    return ProviderDispute(text(dispute["id"]), status, ours(dispute.get("amount"), currency), currency)


def invoice(obj: dict[str, Any]) -> ProviderInvoice | None:
    """None for an invoice that belongs to no subscription."""
    subscription_id, metadata = invoice_subscription(obj)
    if subscription_id is None:
        return None
    currency = text(obj["currency"]).upper()
    status = _INVOICE.get(str(obj.get("status")), "open")
    amount = obj.get("amount_paid") if status == "paid" else obj.get("amount_due")
    return ProviderInvoice(
        invoice_id=text(obj["id"]),
        subscription_id=subscription_id,
        order_id=order_id_of(as_dict(obj.get("metadata")).get("order_id") or metadata.get("order_id")),
        status=status,
        amount=ours(amount, currency),
        currency=currency,
        period_end=invoice_period_end(obj),
        payment_id=invoice_payment(obj),
        first=obj.get("billing_reason") == "subscription_create",
    )


def subscription(obj: dict[str, Any]) -> ProviderSubscription:
    order_id: UUID | None = order_id_of(as_dict(obj.get("metadata")).get("order_id"))
    status = _SUBSCRIPTION.get(str(obj.get("status")), "active")
    return ProviderSubscription(text(obj["id"]), order_id, status, subscription_period_end(obj))


_BALANCE_TYPES = {
    "charge": "charge",
    "payment": "charge",
    "refund": "refund",
    "payment_refund": "refund",
    "adjustment": "dispute",
    "payout": "payout",
    "transfer": "transfer",
    "stripe_fee": "fee",
}


def balance_transaction(obj: dict[str, Any], payment_id: str | None) -> ProviderBalanceTransaction:
    currency = text(obj["currency"]).upper()
    details = tuple(
        (str(detail.get("type") or "other"), ours(detail.get("amount"), currency))
        for detail in obj.get("fee_details") or ()
        if isinstance(detail, dict)
    )
    created = timestamp(obj.get("created"))
    if created is None:
        raise ValueError("a balance transaction without its creation time")
    return ProviderBalanceTransaction(
        transaction_id=text(obj["id"]),
        type=_BALANCE_TYPES.get(str(obj.get("type")), "other"),
        amount=ours(obj.get("amount"), currency),
        fee=ours(obj.get("fee"), currency),
        net=ours(obj.get("net"), currency),
        currency=currency,
        created=created,
        payment_id=payment_id,
        source_id=optional_id(obj.get("source")),
        fee_details=details,
    )


def source_payment(source: Any) -> str | None:
    """The payment intent of an expanded source (a charge, a refund, a dispute)."""
    return optional_id(as_dict(source).get("payment_intent"))
