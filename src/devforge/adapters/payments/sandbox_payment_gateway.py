"""The embedded profile's payment provider: a local stand-in for Stripe.

``create_checkout`` stores a session and answers our own checkout page; a person pays or
declines there (``SandboxCheckout``), and paying queues the Stripe-shaped events Stripe would
send, which ``SandboxWebhookDispatcher`` pushes, signed, to our webhook endpoint. Refunds and
``events_since`` behave as Stripe's do. State lives in a ``SandboxStore`` (SQL in the embedded
profile), so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from uuid import UUID

from devforge.adapters.payments.sandbox_events import new_id, payment_events, refund_event, stripe_units
from devforge.adapters.payments.sandbox_store import SandboxRefundRecord, SandboxSessionRecord, SandboxStore
from devforge.adapters.payments.stripe_events import provider_event
from devforge.application.billing.payment_gateway import (
    CheckoutRequest,
    CheckoutSession,
    ProviderEvent,
    ProviderRefund,
    RefundRequest,
)
from devforge.application.billing.sandbox_checkout import (
    SandboxCheckoutView,
    SandboxSessionNotFound,
    SandboxSessionSettled,
)

PROVIDER = "sandbox"
CHECKOUT_PATH = "/api/payments/sandbox/checkout/"


def _now() -> datetime:
    return datetime.now(UTC)


class SandboxPaymentGateway:
    def __init__(self, store: SandboxStore, public_base_url: str, now: Callable[[], datetime] = _now) -> None:
        self._store = store
        self._checkout_base = public_base_url.rstrip("/") + CHECKOUT_PATH
        self._now = now

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        for line in request.lines:  # refuse what Stripe would refuse (e.g. KWD 5.125)
            stripe_units(line.unit_amount, request.currency)
            stripe_units(line.tax_amount, request.currency)
        session = SandboxSessionRecord(
            id=new_id("cs"),
            idempotency_key=request.idempotency_key,
            order_id=request.order_id,
            currency=request.currency.upper(),
            lines=request.lines,
            customer_email=request.customer_email,
            success_url=request.success_url,
            cancel_url=request.cancel_url,
            status="open",
            payment_id=None,
            subscription_id=None,
            created_at=self._now(),
        )
        stored = await self._store.add_session(session)
        return self._answer(stored)

    async def find_checkout(self, order_id: UUID) -> CheckoutSession | None:
        stored = await self._store.latest_session_for_order(order_id)
        return self._answer(stored) if stored else None

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        at = self._now()
        refund = SandboxRefundRecord(
            id=new_id("re"),
            idempotency_key=request.idempotency_key,
            payment_id=request.provider_payment_id,
            amount=request.amount,
            currency=request.currency.upper(),
            reason=request.reason[:500],
            status="succeeded",
            created_at=at,
        )
        stored = await self._store.add_refund(refund, partial(refund_event, at=at))
        return ProviderRefund(stored.id, stored.status)

    async def events_since(self, since: datetime) -> list[ProviderEvent]:
        return [provider_event(record.payload) for record in await self._store.events_since(since)]

    # The hosted page (SandboxCheckout).

    async def view(self, session_id: str) -> SandboxCheckoutView:
        session = await self._session(session_id)
        return SandboxCheckoutView(
            session_id=session.id,
            order_id=session.order_id,
            status=session.status,
            currency=session.currency,
            lines=session.lines,
            customer_email=session.customer_email,
            recurring=session.recurring,
        )

    async def pay(self, session_id: str) -> str:
        """Paying twice (a double click) answers the success URL again and queues nothing more."""
        session = await self._session(session_id)
        if session.status == "paid":
            return session.success_url
        paid = replace(
            session,
            status="paid",
            payment_id=new_id("pi"),
            subscription_id=new_id("sub") if session.recurring else None,
        )
        if not await self._store.settle_session(session_id, paid, payment_events(paid, self._now())):
            return await self._already_settled(session_id, "paid")
        return paid.success_url

    async def decline(self, session_id: str) -> str:
        session = await self._session(session_id)
        if session.status == "declined":
            return session.cancel_url
        if not await self._store.settle_session(session_id, replace(session, status="declined"), []):
            return await self._already_settled(session_id, "declined")
        return session.cancel_url

    async def _already_settled(self, session_id: str, wanted: str) -> str:
        session = await self._session(session_id)
        if session.status != wanted:
            raise SandboxSessionSettled(f"This checkout is already {session.status}.", field="session_id")
        return session.success_url if wanted == "paid" else session.cancel_url

    async def _session(self, session_id: str) -> SandboxSessionRecord:
        session = await self._store.get_session(session_id)
        if session is None:
            raise SandboxSessionNotFound("No such sandbox checkout.", field="session_id")
        return session

    def _answer(self, session: SandboxSessionRecord) -> CheckoutSession:
        return CheckoutSession(PROVIDER, session.id, self._checkout_base + session.id)
