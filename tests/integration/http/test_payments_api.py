"""``/api/payments`` over HTTP on the memory container: pricing, checkout's refusals, and the
webhook's door: a bad signature, a stale timestamp or a malformed body is a 400 that writes
nothing; a genuine event is stored once and acknowledged."""

from __future__ import annotations

import json
import time
from typing import Any
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.payments.stripe_signature import sign
from devforge.bootstrap.providers.payments import webhook_secrets
from devforge.bootstrap.settings import Settings
from devforge.domain.identity.roles import Role
from tests.integration.http.authentication_steps import bearer, log_in, register
from tests.integration.http.conftest import TestClient, build_client
from tests.unit.billing.purchase_world import seed_catalog


def stripe_event(order_id: str, event_id: str = "evt_1") -> bytes:
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "amount_total": 9900,
        "currency": "eur",
        "payment_intent": "pi_1",
        "metadata": {"order_id": order_id},
    }
    event = {
        "id": event_id,
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {"object": session},
    }
    return json.dumps(event).encode()


async def post_webhook(client: TestClient, body: bytes, signature: str | None) -> Any:
    headers = {"Content-Type": "application/json"} | ({"Stripe-Signature": signature} if signature else {})
    return await client.post("/api/payments/webhook", content=body, headers=headers)


def written(store: MemoryStore) -> tuple[int, int]:
    return len(store.table("billing_inbox")), len(store.table("outbox"))


@pytest.fixture
async def payments() -> Any:
    client, container, settings = build_client()
    async with client:
        await seed_catalog(container, str(uuid4()))
        yield client, container, settings


async def test_rejected_webhooks_are_400_and_write_nothing(
    payments: tuple[TestClient, AsyncContainer, Settings],
) -> None:
    client, container, settings = payments
    store = await container.get(MemoryStore)
    secret, now = webhook_secrets(settings)[0], int(time.time())
    body = stripe_event(str(uuid4()))
    before = written(store)
    cases = {
        "bad signature": (body, sign(body, "whsec_not_ours", now)),
        "no signature": (body, None),
        "stale": (body, sign(body, secret, now - 600)),
        "malformed": (b"{not json", sign(b"{not json", secret, now)),
        "tampered": (body.replace(b"9900", b"9901"), sign(body, secret, now)),
    }
    for name, (payload, signature) in cases.items():
        response = await post_webhook(client, payload, signature)
        assert response.status_code == 400, name
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "webhook_rejected"
    assert written(store) == before


async def test_a_genuine_event_is_stored_once(payments: tuple[TestClient, AsyncContainer, Settings]) -> None:
    client, container, settings = payments
    store = await container.get(MemoryStore)
    body = stripe_event(str(uuid4()), event_id="evt_once")
    signature = sign(body, webhook_secrets(settings)[0], int(time.time()))
    first = await post_webhook(client, body, signature)
    again = await post_webhook(client, body, signature)
    assert (first.status_code, first.json()) == (200, {"received": True})
    assert (again.status_code, again.json()) == (200, {"received": False})
    assert len(store.table("billing_inbox")) == 1


async def test_pricing_names_a_bad_currency(payments: tuple[TestClient, AsyncContainer, Settings]) -> None:
    client, _, _ = payments
    ok = await client.get("/api/payments/pricing", params={"currency": "EUR", "country": "DE"})
    assert ok.status_code == 200
    offer = ok.json()["products"][0]["offers"][0]
    assert offer["amounts"] == {"net": 8319, "tax": 1581, "gross": 9900} and offer["taxRatePercent"] == "19"
    bad = await client.get("/api/payments/pricing", params={"currency": "XXX", "country": "DE"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "currency"


async def test_checkout_refuses_anonymous_and_unverified_buyers(
    payments: tuple[TestClient, AsyncContainer, Settings],
) -> None:
    client, container, _ = payments
    body = {"productCode": "editor-pro", "currency": "EUR", "country": "DE"}
    assert (await client.post("/api/payments/checkout", json=body)).status_code == 401
    await register(container, "unverified@example.com", Role.CUSTOMER)
    token = (await log_in(client, "unverified@example.com")).json()["accessToken"]
    refused = await client.post("/api/payments/checkout", json=body, headers=bearer(token))
    assert refused.status_code == 403 and refused.json()["code"] == "email_not_verified"
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_checkout_honours_the_idempotency_key(payments: tuple[TestClient, AsyncContainer, Settings]) -> None:
    client, container, _ = payments
    user_id = await register(container, "buyer@example.com", Role.CUSTOMER)
    store = await container.get(MemoryStore)
    store.table("users")[UUID(user_id)].email_verified = True
    headers = bearer((await log_in(client, "buyer@example.com")).json()["accessToken"]) | {"Idempotency-Key": "k-1"}
    body = {"productCode": "editor-pro", "currency": "EUR", "country": "DE"}
    first = await client.post("/api/payments/checkout", json=body, headers=headers)
    again = await client.post("/api/payments/checkout", json=body, headers=headers)
    other = await client.post("/api/payments/checkout", json=body | {"quantity": 2}, headers=headers)
    assert first.status_code == 201 and first.json()["redirectUrl"]
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert len(store.table("billing_orders")) == 1


async def verified_buyer(client: TestClient, container: AsyncContainer, email: str) -> dict[str, str]:
    user_id = await register(container, email, Role.CUSTOMER)
    (await container.get(MemoryStore)).table("users")[UUID(user_id)].email_verified = True
    return bearer((await log_in(client, email)).json()["accessToken"])


async def test_an_unknown_country_is_422_naming_it_never_a_zero_rate(
    payments: tuple[TestClient, AsyncContainer, Settings],
) -> None:
    client, container, _ = payments
    priced = await client.get("/api/payments/pricing", params={"currency": "EUR", "country": "XX"})
    assert priced.status_code == 422 and priced.json()["errors"][0]["field"] == "country"
    headers = await verified_buyer(client, container, "buyer@example.com")
    body = {"productCode": "editor-pro", "currency": "EUR", "country": "XX"}
    refused = await client.post("/api/payments/checkout", json=body, headers=headers)
    assert refused.status_code == 422 and refused.json()["code"] == "country_unknown"
    assert refused.json()["errors"][0]["field"] == "country"
    assert (await container.get(MemoryStore)).table("billing_orders") == {}


async def test_return_urls_stay_on_the_service_or_an_allowed_origin() -> None:
    client, container, _ = build_client(
        public_base_url="https://devforge.test", checkout_return_origins=["https://shop.example"]
    )
    async with client:
        await seed_catalog(container, str(uuid4()))
        headers = await verified_buyer(client, container, "buyer@example.com")
        body = {"productCode": "editor-pro", "currency": "EUR", "country": "DE"}
        elsewhere = await client.post(
            "/api/payments/checkout", json=body | {"successUrl": "https://evil.example/paid"}, headers=headers
        )
        assert elsewhere.status_code == 422 and elsewhere.json()["code"] == "return_url_not_allowed"
        assert elsewhere.json()["errors"][0]["field"] == "successUrl"
        assert (await container.get(MemoryStore)).table("billing_orders") == {}
        allowed = {"successUrl": "https://shop.example/paid", "cancelUrl": "https://devforge.test/cart"}
        placed = await client.post("/api/payments/checkout", json=body | allowed, headers=headers)
        assert placed.status_code == 201, placed.text


async def test_the_schema_states_the_iso_country_list_the_api_enforces(
    payments: tuple[TestClient, AsyncContainer, Settings],
) -> None:
    client, _, _ = payments
    document = (await client.get("/schema/openapi.json")).json()
    [query] = [p for p in document["paths"]["/api/payments/pricing"]["get"]["parameters"] if p["name"] == "country"]
    body = document["components"]["schemas"]["CheckoutRequestBody"]["properties"]["country"]
    for listed in (query["schema"]["enum"], body["enum"]):
        assert len(listed) == 249 and {"DE", "FR", "GB", "US", "JP"} <= set(listed)
        assert not {"XX", "UK", "EL", "XK"} & set(listed)
