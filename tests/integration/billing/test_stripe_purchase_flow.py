"""The purchase flow of the purchase journeys, with the Stripe adapter as the payment provider,
against the local Stripe fake on a real socket (the embedded profile otherwise: SQLite, mail to
a Maildir, the test running the worker's jobs).

A verified customer checks out over HTTP; the fake completes the Checkout Session and makes
Stripe's events, which are posted to our webhook as Stripe posts them (the raw body and its
``Stripe-Signature``); the worker applies them: the order is paid, one license is issued (its
key in the receipt), it activates and validates, and an invoice exists. Delivering the same
events again, and replaying them from ``/v1/events``, doubles nothing. A refund asks the fake's
``/v1/refunds`` with the refund's idempotency key, issues a credit note and revokes the license.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.stripe_payment_gateway import StripePaymentGateway
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.receive_provider_event import ReplayProviderEvents
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.fakes.stripe_server import FakeStripe, running_stripe
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.integration.http.test_purchase_journey import mail_text
from tests.outbox_drain import drain

# stripe-python posts its form body with httpx's ``data=`` (bytes), which httpx deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")

WEBHOOK_SECRET = "whsec_test_devforge_stripe_flow"
STRIPE_KEY = "sk_test_devforge_purchase_flow"


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with running_stripe(STRIPE_KEY) as fake:
        yield fake


async def deliver(client: AsyncTestClient[Litestar], events: list[dict[str, Any]]) -> list[bool]:
    """Post each event to our webhook as Stripe does (the raw JSON body, signed): whether each was new."""
    new = []
    for event in events:
        body, signature = FakeStripe.signed(event, WEBHOOK_SECRET)
        answer = await client.post(
            "/api/payments/webhook",
            content=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": signature,
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
        )
        assert answer.status_code == 200, (event["type"], answer.text)
        new.append(answer.json()["received"])
    return new


async def replay(container: AsyncContainer) -> tuple[set[str], int]:
    """What Stripe lists since an hour ago, and how many of its events ``devforge payments
    replay-events`` takes into the inbox (those since the last one received)."""
    async with container() as scope:
        listed = await (await scope.get(PaymentGateway)).events_since(datetime.now(UTC) - timedelta(hours=1))
        taken = await (await scope.get(ReplayProviderEvents))()
    return {event.event_id for event in listed}, taken


def work(client: AsyncTestClient[Litestar], container: AsyncContainer) -> None:
    """The worker's turn: relay and deliver. Applying an event reads the payment back from Stripe
    through the app's HTTP client, so it runs on the app's loop (a pooled connection does not
    cross loops)."""
    client.blocking_portal.call(partial(drain, container, rounds=10))


async def counts(client: AsyncTestClient[Litestar], auth: dict[str, str], mail: Path) -> tuple[int, int, int]:
    """Licenses, invoices and receipts of the buyer."""
    licenses = (await client.get("/api/licenses", headers=auth)).json()
    invoices = (await client.get("/api/payments/invoices", headers=auth)).json()["items"]
    return len(licenses), len(invoices), len(mail_text(mail, "receipt"))


async def test_a_purchase_paid_through_stripe_licenses_invoices_and_refunds(tmp_path: Path, stripe: FakeStripe) -> None:
    settings = settings_for_tests(
        profile="embedded",
        data_dir=str(tmp_path),
        payment_provider="stripe",
        stripe_api_key=STRIPE_KEY,
        stripe_api_base=stripe.base_url,
        webhook_secrets=[WEBHOOK_SECRET],
    )
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)  # the test runs the worker's jobs itself (drain)
    try:
        assert isinstance(await container.get(PaymentGateway), StripePaymentGateway)
        await seed_editor_plans(container)
        async with AsyncTestClient(app=create_app(container, settings)) as client:
            await _the_flow(client, container, stripe, tmp_path / "mail")
    finally:
        await container.close()


async def _the_flow(
    client: AsyncTestClient[Litestar], container: AsyncContainer, stripe: FakeStripe, mail: Path
) -> None:
    # A verified customer.
    registered = await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    await drain(container)
    assert (await client.post("/api/auth/verify-email", json={"token": link_token(mail, "Welcome")})).status_code == 204
    login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    auth = bearer(login.json()["accessToken"])

    # Checkout: our order, and a Stripe Checkout Session made for it.
    body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
    checkout = await client.post("/api/payments/checkout", json=body, headers=auth)
    assert checkout.status_code == 201, checkout.text
    order = checkout.json()
    [session] = stripe.sessions.values()
    assert order["redirectUrl"] == session["url"] == f"{stripe.base_url}/c/pay/{session['id']}"
    assert session["client_reference_id"] == order["id"] and session["metadata"] == {"order_id": order["id"]}
    assert (session["mode"], session["amount_total"], session["currency"]) == ("payment", 29900, "eur")
    [created] = [r for r in stripe.requests if (r.method, r.path) == ("POST", "/v1/checkout/sessions")]
    assert created.idempotency_key
    unpaid = (await client.get(f"/api/payments/orders/{order['id']}", headers=auth)).json()
    assert unpaid["status"] != "paid"

    # The buyer pays on Stripe's page; Stripe posts its events to our webhook; the worker applies
    # them, reading the payment back from Stripe.
    events = stripe.complete(session["id"])
    assert [e["type"] for e in events] == ["checkout.session.completed", "payment_intent.succeeded"]
    assert await deliver(client, events) == [True, True]
    work(client, container)
    [read] = {r.path for r in stripe.requests if r.method == "GET" and r.path.startswith("/v1/payment_intents/")}
    assert read == f"/v1/payment_intents/{next(iter(stripe.intents))}"

    shown = (await client.get(f"/api/payments/orders/{order['id']}", headers=auth)).json()
    assert shown["status"] == "paid", shown
    assert await counts(client, auth, mail) == (1, 1, 1)
    key = re.search(r"license key: (DF-[0-9A-Z-]+)", mail_text(mail, "receipt")[0])
    assert key is not None
    license = {"Authorization": f"License {key.group(1)}"}
    activated = await client.post("/api/licenses/activate", json={"fingerprint": "ada-laptop"}, headers=license)
    assert activated.status_code in (200, 201), activated.text
    validated = await client.post("/api/licenses/validate", json={"fingerprint": "ada-laptop"}, headers=license)
    assert validated.json()["code"] == "VALID"

    [listed] = (await client.get("/api/payments/invoices", headers=auth)).json()["items"]
    invoice = (await client.get(f"/api/payments/invoices/{listed['id']}", headers=auth)).json()
    assert invoice["orderId"] == order["id"] and invoice["status"] == "paid"
    assert invoice["total"] == {"net": 25126, "tax": 4774, "gross": 29900}

    # Stripe delivers the same events again, and a replay from /v1/events overlaps them: nothing doubles.
    assert await deliver(client, events) == [False, False]
    # The test client serves the app on its own event loop; the Stripe adapter's HTTP client is the
    # app's, so the replay runs on that loop too (a pooled connection does not cross loops).
    at_stripe, taken = client.blocking_portal.call(replay, container)
    assert at_stripe == {event["id"] for event in events} and taken == 0
    assert len([r for r in stripe.requests if (r.method, r.path) == ("GET", "/v1/events")]) == 2
    work(client, container)
    assert await counts(client, auth, mail) == (1, 1, 1)
    assert (await client.get(f"/api/payments/orders/{order['id']}", headers=auth)).json()["status"] == "paid"

    # The customer asks for a refund within the window: Stripe refunds the payment intent, once.
    refund = await client.post(
        "/api/payments/refund", json={"orderId": order["id"], "reason": "Not for me"}, headers=auth
    )
    assert refund.status_code == 201, refund.text
    assert refund.json()["status"] == "succeeded" and refund.json()["amount"] == 29900
    [asked] = [r for r in stripe.requests if (r.method, r.path) == ("POST", "/v1/refunds")]
    [intent] = stripe.intents.values()
    assert len(stripe.refunds) == 1
    assert asked.idempotency_key == f"refund-{refund.json()['id']}"
    assert asked.params["payment_intent"] == intent["id"] and asked.params["amount"] == "29900"
    assert intent["amount_refunded"] == 29900
    note_id = refund.json()["creditNote"]["id"]

    # Stripe announces the refund too (twice, as it may): the worker takes it in without doubling anything.
    refunded = [e for e in stripe.events if e["type"] == "charge.refunded"]
    assert len(refunded) == 1
    assert await deliver(client, refunded * 2) == [True, False]
    work(client, container)

    note = (await client.get(f"/api/payments/credit-notes/{note_id}", headers=auth)).json()
    assert note["total"] == invoice["total"]
    again = (await client.get(f"/api/payments/invoices/{listed['id']}", headers=auth)).json()
    assert again["refundable"] == 0 and [n["id"] for n in again["creditNotes"]] == [note_id]
    assert (await client.get(f"/api/payments/orders/{order['id']}", headers=auth)).json()["status"] == "refunded"
    validated = await client.post("/api/licenses/validate", json={"fingerprint": "ada-laptop"}, headers=license)
    assert validated.json()["code"] == "REVOKED"
    assert await counts(client, auth, mail) == (1, 1, 1)
    assert len([r for r in stripe.requests if r.path == "/v1/refunds"]) == len(stripe.refunds) == 1
    keys = [r.idempotency_key for r in stripe.requests if r.method == "POST"]
    assert all(keys) and len(keys) == len(set(keys))  # every creating call keyed, none retried
