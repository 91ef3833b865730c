"""The sandbox's hosted checkout over HTTP: a person sees the order and pays or declines; paying
sends the Stripe-shaped events, signed, to our webhook, retried until it answers, and nothing is
lost across a restart (the sandbox keeps its state in the database)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from dishka import AsyncContainer

from devforge.adapters.payments.sandbox_payment_gateway import SandboxPaymentGateway
from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.adapters.payments.sqla_sandbox_store import SqlaSandboxStore
from devforge.adapters.payments.stripe_events import StripeWebhookVerifier
from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.read_path import ReadPath
from devforge.application.billing.payment_gateway import CheckoutLine, CheckoutRequest, ProviderEvent
from devforge.bootstrap.providers.payments import webhook_secrets
from devforge.bootstrap.settings import Settings
from tests.integration.backends import sqlite_database
from tests.integration.http.conftest import TestClient, build_client

PAGE = "/api/payments/sandbox/checkout/"


@dataclass
class Sandbox:
    client: TestClient
    container: AsyncContainer
    settings: Settings
    gateway: SandboxPaymentGateway
    store: SandboxStore


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    client, container, settings = build_client()
    async with client as running:
        gateway = await container.get(SandboxPaymentGateway)
        yield Sandbox(running, container, settings, gateway, await container.get(SandboxStore))
    await container.close()


def request(
    currency: str = "EUR", *, unit: int = 1000, tax: int = 380, recurring: str | None = None
) -> CheckoutRequest:
    order_id = uuid4()
    return CheckoutRequest(
        order_id=order_id,
        currency=currency,
        lines=(CheckoutLine("Dev Forge <Pro>", unit_amount=unit, quantity=2, tax_amount=tax, recurring=recurring),),
        customer_email="buyer@example.com",
        customer_ref=None,
        success_url="https://shop.test/paid?order=1",
        cancel_url="https://shop.test/cancelled",
        idempotency_key=str(order_id),
    )


class Receiver:
    """Our webhook endpoint's stand-in: checks each signature as the real one does, and can be down."""

    def __init__(self, secrets: list[str]) -> None:
        self.verifier = StripeWebhookVerifier(secrets)
        self.events: list[ProviderEvent] = []
        self.raw: list[dict[str, object]] = []
        self.down = False

    def handle(self, incoming: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503)
        event = self.verifier.verify(incoming.content, incoming.headers.get("Stripe-Signature"), datetime.now(UTC))
        self.events.append(event)
        self.raw.append(json.loads(incoming.content))
        return httpx.Response(200, json={"received": True})


async def test_the_page_shows_the_order_with_amounts_formatted_and_escaped(sandbox: Sandbox) -> None:
    session = await sandbox.gateway.create_checkout(request())
    assert session.redirect_url == f"http://127.0.0.1:8000{PAGE}{session.session_id}"

    page = await sandbox.client.get(PAGE + session.session_id)

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Dev Forge &lt;Pro&gt;" in page.text and "<Pro>" not in page.text
    assert "10.00 EUR" in page.text and "3.80 EUR" in page.text and '<th id="total">23.80 EUR</th>' in page.text
    assert f'action="{PAGE}{session.session_id}/pay"' in page.text
    assert f'action="{PAGE}{session.session_id}/decline"' in page.text


async def test_a_zero_decimal_currency_has_no_decimals(sandbox: Sandbox) -> None:
    session = await sandbox.gateway.create_checkout(request("JPY", unit=1500, tax=300))
    page = await sandbox.client.get(PAGE + session.session_id)
    assert '<th id="total">3,300 JPY</th>' in page.text


async def test_an_unknown_session_is_a_404_problem(sandbox: Sandbox) -> None:
    for answer in (
        await sandbox.client.get(PAGE + "cs_sandbox_nope"),
        await sandbox.client.post(PAGE + "cs_sandbox_nope/pay"),
    ):
        assert answer.status_code == 404
        assert answer.json()["code"] == "sandbox_session_not_found"


async def test_paying_redirects_to_the_shop_and_pushes_signed_events_to_the_webhook(sandbox: Sandbox) -> None:
    checkout = request()
    session = await sandbox.gateway.create_checkout(checkout)

    paid = await sandbox.client.post(PAGE + session.session_id + "/pay", follow_redirects=False)
    again = await sandbox.client.post(PAGE + session.session_id + "/pay", follow_redirects=False)

    assert (paid.status_code, paid.headers["location"]) == (303, "https://shop.test/paid?order=1")
    assert (again.status_code, again.headers["location"]) == (303, "https://shop.test/paid?order=1")
    receiver = Receiver(webhook_secrets(sandbox.settings))
    dispatcher = SandboxWebhookDispatcher(
        sandbox.store,
        "http://shop.test/api/payments/webhook",
        webhook_secrets(sandbox.settings)[0],
        transport=httpx.MockTransport(receiver.handle),
    )
    assert await dispatcher.dispatch_due() == 2
    assert await dispatcher.dispatch_due() == 0  # delivered once, and the second click queued nothing
    assert [(e.type, e.order_id, e.amount, e.currency) for e in receiver.events] == [
        ("checkout.completed", checkout.order_id, 2380, "EUR"),
        ("payment.succeeded", checkout.order_id, 2380, "EUR"),
    ]
    assert [raw["type"] for raw in receiver.raw] == ["checkout.session.completed", "payment_intent.succeeded"]
    page = await sandbox.client.get(PAGE + session.session_id)
    assert "This checkout is paid." in page.text and "/pay" not in page.text


async def test_the_pushed_events_are_taken_by_our_own_webhook_endpoint(sandbox: Sandbox) -> None:
    session = await sandbox.gateway.create_checkout(request(recurring="month"))
    await sandbox.client.post(PAGE + session.session_id + "/pay")
    answers: list[dict[str, object]] = []

    async def through_the_app(incoming: httpx.Request) -> httpx.Response:
        answer = await sandbox.client.post(
            incoming.url.path,
            content=incoming.content,
            headers={"Stripe-Signature": incoming.headers["Stripe-Signature"]},
        )
        answers.append(answer.json())
        return httpx.Response(answer.status_code)

    dispatcher = SandboxWebhookDispatcher(
        sandbox.store,
        "http://127.0.0.1:8000/api/payments/webhook",
        webhook_secrets(sandbox.settings)[0],
        transport=httpx.MockTransport(through_the_app),
    )
    assert await dispatcher.dispatch_due() == 4  # completed, succeeded, invoice paid, subscription updated
    assert answers == [{"received": True}] * 4


async def test_a_webhook_that_is_down_is_retried_later_until_it_answers(sandbox: Sandbox) -> None:
    session = await sandbox.gateway.create_checkout(request())
    await sandbox.client.post(PAGE + session.session_id + "/pay")
    receiver = Receiver(webhook_secrets(sandbox.settings))
    receiver.down = True
    now = [datetime.now(UTC)]
    dispatcher = SandboxWebhookDispatcher(
        sandbox.store,
        "http://shop.test/api/payments/webhook",
        webhook_secrets(sandbox.settings)[0],
        transport=httpx.MockTransport(receiver.handle),
        now=lambda: now[0],
    )
    assert await dispatcher.dispatch_due() == 0
    receiver.down = False
    assert await dispatcher.dispatch_due() == 0  # not due yet: the retry waits
    now[0] += timedelta(seconds=3)
    assert await dispatcher.dispatch_due() == 2
    assert [e.type for e in receiver.events] == ["checkout.completed", "payment.succeeded"]


async def test_declining_redirects_to_the_cancel_url_and_sends_nothing(sandbox: Sandbox) -> None:
    session = await sandbox.gateway.create_checkout(request())

    declined = await sandbox.client.post(PAGE + session.session_id + "/decline", follow_redirects=False)
    pay_after = await sandbox.client.post(PAGE + session.session_id + "/pay", follow_redirects=False)

    assert (declined.status_code, declined.headers["location"]) == (303, "https://shop.test/cancelled")
    assert pay_after.status_code == 409 and pay_after.json()["code"] == "sandbox_session_settled"
    assert await sandbox.store.due_events(datetime.now(UTC) + timedelta(hours=1), 10) == []


async def test_a_restart_loses_neither_the_session_nor_the_events_owed(tmp_path: Path) -> None:
    async with sqlite_database(tmp_path) as url:
        before = make_engine(url)
        writes = LoopWrites(before)  # the session's INSERT on the loop's thread (loop_writes.py)
        gateway = SandboxPaymentGateway(
            SqlaSandboxStore(make_sessionmaker(before), ReadPath(before), writes), "http://shop.test"
        )
        session = await gateway.create_checkout(request())
        await gateway.pay(session.session_id)
        writes.close()
        await before.dispose()

        after = make_engine(url)
        store = SqlaSandboxStore(make_sessionmaker(after), ReadPath(after), LoopWrites(after))
        receiver = Receiver(["whsec_test"])
        dispatcher = SandboxWebhookDispatcher(
            store, "http://shop.test/api/payments/webhook", "whsec_test", transport=httpx.MockTransport(receiver.handle)
        )
        assert (await SandboxPaymentGateway(store, "http://shop.test").view(session.session_id)).status == "paid"
        assert await dispatcher.dispatch_due() == 2
        await after.dispose()
