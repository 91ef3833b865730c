"""A purchase whose provider events reach the real webhook route in a chosen order, each twice.

The provider is the sandbox (Stripe-shaped, signed events; a dispute names only its payment
intent and charge, as Stripe's do). Its side happens in causal order (the buyer pays, a refund
is made in its dashboard, the bank disputes the rest, the dispute is lost), and an event is
delivered only once what it reports has happened at the provider: so at each delivery the
provider's state is as far as the causally latest event delivered so far, and the worker (the
outbox drained after each event's two deliveries) reads that state. Each run is a new buyer's
order in the same app; its end state is summed up as plain data, with what differs from run to
run (ids, document numbers) replaced by names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
from dishka import AsyncContainer, Provider, Scope, provide

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.adapters.payments.sandbox_payment_gateway import SandboxPaymentGateway
from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.stripe_signature import sign
from devforge.application.billing.invoice_ports import CreditNoteRepository, InvoiceRepository, LedgerRepository
from devforge.application.billing.payment_gateway import PaymentGateway, RefundRequest
from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.start_checkout import StartCheckout, StartCheckoutHandler
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import UserRepository
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.ports import LicenseRepository
from devforge.bootstrap.providers.payments import webhook_secrets
from devforge.bootstrap.settings import Settings
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User
from devforge.domain.licensing.permissions import LicensingPermission
from tests.outbox_drain import drain
from tests.unit.billing.purchase_world import seed_catalog

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STEPS = ("payment", "refund", "dispute opened", "dispute lost")
REFUNDED = 3000  # of 9900, in the provider's dashboard; the bank then disputes the rest


class SandboxIsTheProvider(Provider):
    """The sandbox, on its memory store, answers billing's state reads too."""

    scope = Scope.APP

    @provide
    def gateway(self, sandbox: SandboxPaymentGateway) -> PaymentGateway:
        return sandbox


@dataclass
class ChaosWorld:
    container: AsyncContainer
    settings: Settings
    clock: ManualClock
    client: httpx.AsyncClient

    async def buy(self) -> UUID:
        email = f"buyer-{uuid4().hex[:12]}@example.com"
        user = User(uuid4(), EmailAddress(email), "x", Role.CUSTOMER, NOW, email_verified=True)
        async with self.container() as scope:
            await (await scope.get(UserRepository)).add(user)
            await (await scope.get(UnitOfWork)).commit()
        command = StartCheckout(user.id, "editor-pro", BillingInterval.ONE_TIME, "EUR", "DE")
        async with self.container() as scope:
            return (await (await scope.get(StartCheckoutHandler))(command)).id

    async def play(self, arrival: tuple[str, ...]) -> dict[str, Any]:
        """A new order whose events of ``STEPS`` arrive in ``arrival`` order, each twice; its end."""
        order_id = await self.buy()
        sandbox = await self.container.get(SandboxPaymentGateway)
        store = await self.container.get(SandboxStore)
        session = await store.latest_session_for_order(order_id)
        assert session is not None
        happened: dict[str, list[dict[str, Any]]] = {}
        for step in arrival:
            while step not in happened:
                happened[STEPS[len(happened)]] = await self._act(sandbox, store, session.id, len(happened))
            for event in happened[step]:
                assert [await self._post(event) for _ in range(2)] == [True, False]  # the second: a duplicate
            await drain(self.container, rounds=10)
        return await self.summary(order_id, happened)

    async def _act(self, sandbox: SandboxPaymentGateway, store: SandboxStore, session_id: str, step: int) -> list[Any]:
        before = {event.id for event in await store.events_since(datetime(1970, 1, 1, tzinfo=UTC))}
        if step == 0:
            await sandbox.pay(session_id)
        session = await store.get_session(session_id)
        assert session is not None and session.payment_id is not None
        if step == 1:
            refund = RefundRequest(session.payment_id, REFUNDED, "EUR", f"dashboard-{session.id}", "asked by phone")
            await sandbox.refund(refund)
        elif step == 2:
            await sandbox.dispute(session.payment_id, amount=session.total - REFUNDED)
        elif step == 3:
            [dispute] = await store.disputes_of(session.payment_id)
            await sandbox.close_dispute(dispute.id, lost=True)
        events = await store.events_since(datetime(1970, 1, 1, tzinfo=UTC))
        return [event.payload for event in events if event.id not in before]

    async def _post(self, event: dict[str, Any]) -> bool:
        body = json.dumps(event).encode()
        signature = sign(body, webhook_secrets(self.settings)[0], int(self.clock.now().timestamp()))
        answer = await self.client.post("/api/payments/webhook", content=body, headers={"Stripe-Signature": signature})
        assert answer.status_code == 200, answer.text
        return bool(answer.json()["received"])

    async def summary(self, order_id: UUID, happened: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        async with self.container() as scope:
            order = await (await scope.get(OrderRepository)).get(order_id)
            assert order is not None
            licenses = await (await scope.get(LicenseRepository)).list_for_user(order.user_id)
            invoice = await (await scope.get(InvoiceRepository)).get_by_order(order_id)
            assert invoice is not None and invoice.number is not None
            notes = await (await scope.get(CreditNoteRepository)).for_invoice(invoice.id)
            ledger = await (await scope.get(LedgerRepository)).transactions(Currency("EUR"))
        names = {str(order_id): "<order>"} | {str(note.refund_id): "<refund>" for note in notes}

        def named(text: str) -> str | None:
            """The transaction's idempotency id with this order's ids named; None for another order's."""
            mine = [raw for raw in names if raw in text]
            for raw in mine:
                text = text.replace(raw, names[raw])
            return text if mine else None

        paid_with = happened["payment"][0]["data"]["object"].get("payment_intent")
        mails = await self.container.get(InMemoryMailer)
        return {
            "order": (order.status.value, order.refunded_amount.amount_minor, order.disputed, order.dispute_lost),
            "payment": (order.payment_id == paid_with, order.payment_problem),
            "licenses": sorted((lic.status.value, lic.terms.max_machines) for lic in licenses),
            "invoice": (invoice.number.series.value, invoice.status.value, invoice.total.gross.amount_minor),
            "credit notes": [(note.number.series.value, note.total.gross.amount_minor) for note in notes],
            "ledger": sorted(
                (name, sorted((str(e.account), e.amount.amount_minor) for e in t.entries))
                for t in ledger
                if (name := named(t.idempotency_id)) is not None
            ),
            "receipts": len([mail for mail in mails.sent if mail.to == order.email]),
        }


async def chaos_world(
    container: AsyncContainer, settings: Settings, clock: ManualClock, client: httpx.AsyncClient
) -> ChaosWorld:
    admin = Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct("editor", "Dev Forge Editor"))
    async with container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(
            admin, CreatePolicy(product.id, "Pro", {"floating": True, "max_machines": 3})
        )
    await seed_catalog(container, str(policy.id))
    return ChaosWorld(container, settings, clock, client)
