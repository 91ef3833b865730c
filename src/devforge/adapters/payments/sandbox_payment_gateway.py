"""The embedded profile's payment provider: a local stand-in for Stripe.

``create_checkout`` stores a session and answers our own checkout page; a person pays or
declines there (``SandboxCheckout``), and paying queues the Stripe-shaped events Stripe would
send, which ``SandboxWebhookDispatcher`` pushes, signed, to our webhook endpoint. Refunds,
``events_since``, the state reads, the balance transactions (a fee computed as Stripe's
card pricing would, ``sandbox_balance``) and cancelling a subscription behave as Stripe's do; a
subscription is never renewed. ``dispute`` and ``close_dispute`` play the buyer's bank (tests,
and trying disputes by hand). State lives in a ``SandboxStore`` (SQL in the embedded profile),
so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from uuid import UUID

from devforge.adapters.payments.sandbox_balance import sandbox_charge_balance, sandbox_refund_balance
from devforge.adapters.payments.sandbox_events import (
    dispute_event,
    new_id,
    payment_events,
    refund_event,
    stripe_units,
    subscription_ended_event,
)
from devforge.adapters.payments.sandbox_state import invoice_state, payment_state, subscription_state
from devforge.adapters.payments.sandbox_store import (
    SandboxDisputeRecord,
    SandboxRefundRecord,
    SandboxSessionRecord,
    SandboxStore,
)
from devforge.adapters.payments.stripe_events import provider_event
from devforge.application.billing.payment_gateway import (
    CheckoutRequest,
    CheckoutSession,
    ProviderBalanceTransaction,
    ProviderEvent,
    ProviderRefund,
    RefundRequest,
)
from devforge.application.billing.provider_state import ProviderInvoice, ProviderPayment, ProviderSubscription
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

    async def payment(self, reference: str) -> ProviderPayment | None:
        payment_id = "pi_" + reference.split("_", 1)[1] if reference.startswith("ch_") else reference
        session = await self._store.find_session(payment_id=payment_id)
        if session is None:
            return None
        return payment_state(session, await self._store.disputes_of(payment_id))

    async def balance_transaction(self, reference: str) -> ProviderBalanceTransaction | None:
        payment_id = "pi_" + reference.split("_", 1)[1] if reference.startswith("ch_") else reference
        session = await self._store.find_session(payment_id=payment_id)
        return sandbox_charge_balance(session) if session and session.status == "paid" else None

    async def balance_transactions(self, start: datetime, end: datetime) -> list[ProviderBalanceTransaction]:
        paid, refunds = await self._store.settled_between(start, end)
        found = [balance for session in paid if (balance := sandbox_charge_balance(session))]
        found += [sandbox_refund_balance(refund) for refund in refunds]
        return sorted(found, key=lambda t: (t.created, t.transaction_id))

    async def invoice(self, invoice_id: str) -> ProviderInvoice | None:
        session = await self._store.find_session(invoice_id=invoice_id)
        return invoice_state(session) if session else None

    async def subscription(self, subscription_id: str) -> ProviderSubscription | None:
        session = await self._store.find_session(subscription_id=subscription_id)
        return subscription_state(session) if session else None

    async def cancel_subscription(self, subscription_id: str, idempotency_key: str) -> None:
        session = await self._store.find_session(subscription_id=subscription_id)
        if session is not None:
            await self._store.end_subscription(subscription_id, subscription_ended_event(session, self._now()))

    # The buyer's bank.

    async def dispute(self, payment_id: str, amount: int | None = None) -> str:
        """Opens a dispute of a paid payment (all of it unless ``amount``); its id."""
        session = await self._store.find_session(payment_id=payment_id)
        if session is None or session.status != "paid":
            raise SandboxSessionNotFound("No such paid payment.", field="payment_id")
        at = self._now()
        dispute = SandboxDisputeRecord(new_id("dp"), payment_id, amount or session.total, session.currency, "open", at)
        await self._store.add_dispute(dispute, dispute_event("charge.dispute.created", dispute, at))
        return dispute.id

    async def close_dispute(self, dispute_id: str, *, lost: bool) -> bool:
        """Closes an open dispute; False when it was not open."""
        dispute = await self._store.get_dispute(dispute_id)
        if dispute is None:
            return False
        closed = replace(dispute, status="lost" if lost else "won")
        return await self._store.close_dispute(
            dispute_id, closed.status, dispute_event("charge.dispute.closed", closed, self._now())
        )

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
        at = self._now()
        paid = replace(
            session,
            status="paid",
            payment_id=new_id("pi"),
            subscription_id=new_id("sub") if session.recurring else None,
            invoice_id=new_id("in") if session.recurring else None,
            paid_at=at,
            subscription_status="active" if session.recurring else None,
        )
        if not await self._store.settle_session(session_id, paid, payment_events(paid, at)):
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
