"""Stripe behind ``PaymentGateway``, with stripe-python's ``StripeClient`` (async calls over httpx).

A buyer's ``customer_ref`` (our id for them) maps to one Stripe customer, tagged with it.
Checkout Sessions carry inline ``price_data`` (no catalogue to keep in sync at Stripe); a line's
tax goes as its own line item with the same interval, so what Stripe charges is exactly our
total. Our order id rides in ``metadata.order_id`` and ``client_reference_id`` of the session,
and in the metadata of its payment intent or subscription, so every later event names it.

The state reads (``payment``, ``invoice``, ``subscription``) retrieve the objects and read them
with ``stripe_state``; a payment's disputes are listed by its payment intent, and a payment
intent that carries no order of ours (a subscription's) is traced to its invoice (the invoice
payments list, or the older ``invoice`` field) and that invoice's subscription metadata.

Every call that creates something carries the caller's idempotency key, and reads are safe to
repeat, so the SDK's own retries are harmless. A timeout, a dropped connection, a 429 or a 5xx
leaves the outcome unknown: ``PaymentProviderUnavailable``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID

import stripe
import structlog

from devforge.adapters.payments import stripe_state
from devforge.adapters.payments.stripe_events import TYPES, provider_event
from devforge.adapters.payments.stripe_fields import as_dict, optional_id, order_id_of
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
from devforge.domain.billing.stripe_amounts import stripe_amount

log = structlog.get_logger(__name__)
PROVIDER = "stripe"
_REFUND_STATUS = {"succeeded": "succeeded", "pending": "pending", "requires_action": "pending"}
CUSTOMER_REF = "devforge_customer_ref"
DEFAULT_TIMEOUT = timedelta(seconds=20)
FIND_WINDOW = timedelta(days=2)  # sessions expire after 24 hours; a reconciler looks sooner


def make_stripe_client(
    api_key: str,
    api_base: str = "",
    *,
    timeout: timedelta = DEFAULT_TIMEOUT,
    retries: int = 2,
    http_client: stripe.HTTPXClient | None = None,
) -> stripe.StripeClient:
    """``http_client``: pass one to close it (``close_async``) when done."""
    addresses: Any = {"api": api_base.rstrip("/")} if api_base else None
    return stripe.StripeClient(
        api_key,
        base_addresses=addresses,
        http_client=http_client or stripe.HTTPXClient(timeout=timeout.total_seconds()),
        max_network_retries=retries,
    )


class StripePaymentGateway:
    def __init__(self, client: stripe.StripeClient, http_client: stripe.HTTPXClient | None = None) -> None:
        self._client, self._http = client, http_client

    @classmethod
    def connect(cls, api_key: str, api_base: str = "") -> StripePaymentGateway:
        """A gateway owning its HTTP client: ``aclose`` it when done."""
        http = stripe.HTTPXClient(timeout=DEFAULT_TIMEOUT.total_seconds())
        return cls(make_stripe_client(api_key, api_base, http_client=http), http)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close_async()  # type: ignore[no-untyped-call]

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        async with _unknown_outcome():
            customer = await self._customer(request) if request.customer_ref else None
            session = await self._client.v1.checkout.sessions.create_async(
                params=cast(Any, checkout_params(request, customer)),
                options={"idempotency_key": request.idempotency_key},
            )
        return CheckoutSession(PROVIDER, session.id, session.url or "")

    async def _customer(self, request: CheckoutRequest) -> str:
        """Our customer's Stripe customer: ``customer_ref`` itself when it is one (``cus_...``),
        else the one tagged with it in metadata among those with the buyer's email, else a new
        one (the idempotency key keeps a retried call from making two)."""
        reference = request.customer_ref or ""
        if reference.startswith("cus_"):
            return reference
        found = await self._client.v1.customers.list_async(params={"email": request.customer_email, "limit": 100})
        async for customer in found.auto_paging_iter():
            if customer.metadata and customer.metadata.to_dict().get(CUSTOMER_REF) == reference:
                return customer.id
        params: Any = {"email": request.customer_email, "metadata": {CUSTOMER_REF: reference}}
        created = await self._client.v1.customers.create_async(
            params=params, options={"idempotency_key": f"customer-{reference}"}
        )
        return created.id

    async def find_checkout(self, order_id: UUID) -> CheckoutSession | None:
        since = int((datetime.now(UTC) - FIND_WINDOW).timestamp())
        wanted = str(order_id)
        async with _unknown_outcome():
            page = await self._client.v1.checkout.sessions.list_async(params={"limit": 100, "created": {"gte": since}})
            async for session in page.auto_paging_iter():
                metadata = session.metadata.to_dict() if session.metadata else {}
                if metadata.get("order_id") == wanted or session.client_reference_id == wanted:
                    return CheckoutSession(PROVIDER, session.id, session.url or "")
        return None

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        """A refund Stripe refuses answers status "failed" (with no refund id)."""
        target = "charge" if request.provider_payment_id.startswith("ch_") else "payment_intent"
        params: Any = {
            target: request.provider_payment_id,
            "amount": stripe_amount(Money.of(request.amount, request.currency)),
            "metadata": {"reason": request.reason[:500]},
        }
        try:
            async with _unknown_outcome():
                refund = await self._client.v1.refunds.create_async(
                    params=params, options={"idempotency_key": request.idempotency_key}
                )
        except stripe.InvalidRequestError as refused:  # e.g. more than is left, or a disputed charge
            log.warning("stripe_refund_refused", code=refused.code, message=refused.user_message)
            return ProviderRefund("", "failed")
        return ProviderRefund(refund.id, _REFUND_STATUS.get(refund.status or "", "failed"))

    async def events_since(self, since: datetime) -> list[ProviderEvent]:
        """Stripe keeps 30 days of events and lists them newest first."""
        params: Any = {"limit": 100, "created": {"gte": int(since.timestamp())}, "types": list(TYPES)}
        events: list[ProviderEvent] = []
        async with _unknown_outcome():
            page = await self._client.v1.events.list_async(params=params)
            async for event in page.auto_paging_iter():
                events.append(provider_event(event.to_dict()))
        events.reverse()  # oldest first, and events of the same second in the order Stripe made them
        return sorted(events, key=lambda event: event.created)

    async def payment(self, reference: str) -> ProviderPayment | None:
        async with _unknown_outcome(), _missing_is_none():
            if reference.startswith("ch_"):
                charge = await self._client.v1.charges.retrieve_async(reference)
                reference = optional_id(charge.to_dict().get("payment_intent")) or ""
            intent = (
                await self._client.v1.payment_intents.retrieve_async(reference, params={"expand": ["latest_charge"]})
            ).to_dict()
            page = await self._client.v1.disputes.list_async(params={"payment_intent": intent["id"], "limit": 100})
            disputes = [dispute.to_dict() async for dispute in page.auto_paging_iter()]
            invoice = None
            if order_id_of(as_dict(intent.get("metadata")).get("order_id")) is None:
                invoice = await self._invoice_paid_by(intent)
            return stripe_state.payment(intent, disputes, invoice)
        return None

    async def balance_transaction(self, reference: str) -> ProviderBalanceTransaction | None:
        """The charge's balance transaction, expanded; None while Stripe has not made it."""
        async with _unknown_outcome(), _missing_is_none():
            if reference.startswith("ch_"):
                charge = (
                    await self._client.v1.charges.retrieve_async(reference, params={"expand": ["balance_transaction"]})
                ).to_dict()
            else:
                params: Any = {"expand": ["latest_charge.balance_transaction"]}
                intent = (await self._client.v1.payment_intents.retrieve_async(reference, params=params)).to_dict()
                charge = as_dict(intent.get("latest_charge"))
            found = as_dict(charge.get("balance_transaction"))
            if not found:
                return None
            return stripe_state.balance_transaction(found, optional_id(charge.get("payment_intent")))
        return None

    async def balance_transactions(self, start: datetime, end: datetime) -> list[ProviderBalanceTransaction]:
        """Listed with their sources expanded, so each names its payment intent."""
        params: Any = {
            "limit": 100,
            "created": {"gte": int(start.timestamp()), "lt": int(end.timestamp())},
            "expand": ["data.source"],
        }
        found: list[ProviderBalanceTransaction] = []
        async with _unknown_outcome():
            page = await self._client.v1.balance_transactions.list_async(params=params)
            async for transaction in page.auto_paging_iter():
                row = transaction.to_dict()
                found.append(stripe_state.balance_transaction(row, stripe_state.source_payment(row.get("source"))))
        return sorted(found, key=lambda t: (t.created, t.transaction_id))

    async def _invoice_paid_by(self, intent: dict[str, Any]) -> dict[str, Any] | None:
        invoice_id = optional_id(intent.get("invoice"))  # API versions before 2025-03-31
        if invoice_id is None:
            params: Any = {"payment": {"type": "payment_intent", "payment_intent": intent["id"]}, "limit": 1}
            found = await self._client.v1.invoice_payments.list_async(params=params)
            invoice_id = optional_id(found.data[0].to_dict().get("invoice")) if found.data else None
        if invoice_id is None:
            return None
        return (await self._client.v1.invoices.retrieve_async(invoice_id)).to_dict()

    async def invoice(self, invoice_id: str) -> ProviderInvoice | None:
        async with _unknown_outcome(), _missing_is_none():
            found = await self._client.v1.invoices.retrieve_async(invoice_id, params={"expand": ["payments"]})
            return stripe_state.invoice(found.to_dict())
        return None

    async def subscription(self, subscription_id: str) -> ProviderSubscription | None:
        async with _unknown_outcome(), _missing_is_none():
            found = await self._client.v1.subscriptions.retrieve_async(subscription_id)
            return stripe_state.subscription(found.to_dict())
        return None

    async def cancel_subscription(self, subscription_id: str, idempotency_key: str) -> None:
        """Stripe refuses to cancel a subscription that is already cancelled: that is done too."""
        try:
            async with _unknown_outcome():
                await self._client.v1.subscriptions.cancel_async(
                    subscription_id, options={"idempotency_key": idempotency_key}
                )
        except stripe.InvalidRequestError:
            current = await self.subscription(subscription_id)
            if current is not None and not current.ended:
                raise


def checkout_params(request: CheckoutRequest, customer: str | None = None) -> dict[str, Any]:
    recurring = any(line.recurring for line in request.lines)
    metadata = {"order_id": str(request.order_id)}
    items: list[dict[str, Any]] = []
    for line in request.lines:
        items.append(_item(line.name, line.unit_amount, line.quantity, line.recurring, request.currency))
        if line.tax_amount:
            items.append(_item(f"Tax: {line.name}", line.tax_amount, 1, line.recurring, request.currency))
    params: dict[str, Any] = {
        "mode": "subscription" if recurring else "payment",
        "line_items": items,
        "client_reference_id": str(request.order_id),
        "metadata": metadata,
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
    }
    if customer:
        params["customer"] = customer
    else:
        params["customer_email"] = request.customer_email
    if recurring:
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["payment_intent_data"] = {"metadata": metadata}
        if not customer:
            params["customer_creation"] = "always"
    return params


def _item(name: str, unit_amount: int, quantity: int, interval: str | None, currency: str) -> dict[str, Any]:
    price: dict[str, Any] = {
        "currency": currency.lower(),
        "unit_amount": stripe_amount(Money.of(unit_amount, currency)),
        "product_data": {"name": name},
    }
    if interval:
        price["recurring"] = {"interval": interval}
    return {"price_data": price, "quantity": quantity}


@asynccontextmanager
async def _missing_is_none() -> AsyncIterator[None]:
    """Swallows Stripe's 404 for an object it does not know (the caller then answers None)."""
    try:
        yield
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise


@asynccontextmanager
async def _unknown_outcome() -> AsyncIterator[None]:
    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise PaymentProviderUnavailable(f"Stripe did not answer: {type(error).__name__}") from error
    except stripe.APIError as error:
        raise PaymentProviderUnavailable(f"Stripe failed: {error.http_status}") from error
    except stripe.StripeError as error:
        if (error.http_status or 0) >= 500:
            raise PaymentProviderUnavailable(f"Stripe failed: {error.http_status}") from error
        raise


# Shared with the other Stripe adapters (Connect's accounts).
unknown_outcome = _unknown_outcome
missing_is_none = _missing_is_none
