"""A business buyer in the embedded profile (SQLite, the sandbox provider): by default VAT ids go
to the offline stand-in, so VAT is charged and the price list, the order and the invoice say the
id could not be verified; pointed at VIES (a local fake), a verified id in another EU country buys
under the reverse charge and the invoice cites VIES's consultation number."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.billing.reverse_charge import UNVERIFIED_NOTE
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.fakes.vies_server import running_vies
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.outbox_drain import drain

BUSINESS = "FR12345678901"
SELLER = {"invoice_seller_country": "DE", "invoice_seller_vat_id": "DE111111111"}


@asynccontextmanager
async def embedded_shop(tmp_path: Path, **settings: object) -> AsyncIterator[tuple[AsyncTestClient, Any]]:
    """A signed-in, verified buyer; ``pay(order)`` pays on the sandbox page and delivers its webhooks."""
    config = settings_for_tests(profile="embedded", data_dir=str(tmp_path), **(SELLER | settings))
    await asyncio.to_thread(migrate, config)
    container = make_container(config)  # the test runs the worker's jobs itself (drain)
    app = create_app(container, config)
    await seed_editor_plans(container)
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(config),
        webhook_secrets(config)[0],
        transport=httpx.ASGITransport(app=app),
    )
    async with AsyncTestClient(app=app) as client:
        await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
        await drain(container)
        await client.post("/api/auth/verify-email", json={"token": link_token(tmp_path / "mail", "Welcome")})
        login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
        client.headers.update(bearer(login.json()["accessToken"]))

        async def pay(order: dict[str, Any]) -> dict[str, Any]:
            await client.post(f"{urlsplit(order['redirectUrl']).path}/pay", follow_redirects=False)
            await dispatcher.dispatch_due()
            await drain(container, rounds=10)
            [listed] = (await client.get("/api/payments/invoices")).json()["items"]
            return dict((await client.get(f"/api/payments/invoices/{listed['id']}")).json())

        yield client, pay


CHECKOUT = {"productCode": "editor-perpetual", "currency": "EUR", "country": "FR", "vatId": BUSINESS}
PRICING = {"currency": "EUR", "country": "FR", "vat_id": BUSINESS}


async def test_embedded_verifies_no_vat_id_so_vat_is_charged_and_every_document_says_so(tmp_path: Path) -> None:
    async with embedded_shop(tmp_path) as (client, pay):
        prices = (await client.get("/api/payments/pricing", params=PRICING)).json()
        assert (prices["vatIdStatus"], prices["taxNote"]) == ("unverified", UNVERIFIED_NOTE)
        offer = next(p for p in prices["products"] if p["code"] == "editor-perpetual")["offers"][0]
        assert offer["amounts"] == {"net": 24917, "tax": 4983, "gross": 29900} and not offer["reverseCharge"]

        order = (await client.post("/api/payments/checkout", json=CHECKOUT)).json()
        assert (order["reverseCharge"], order["taxNote"]) == (False, UNVERIFIED_NOTE)
        assert order["vatIdCheck"]["status"] == "unverified" and order["total"]["tax"] == 4983
        invoice = await pay(order)
        assert invoice["notes"] == [UNVERIFIED_NOTE] and invoice["total"]["tax"] == 4983


async def test_a_business_vies_verifies_buys_without_vat_and_the_invoice_cites_the_consultation(
    tmp_path: Path,
) -> None:
    with running_vies() as vies:
        vies.register(BUSINESS)
        async with embedded_shop(tmp_path, vies="rest", vies_api_base=vies.base_url) as (client, pay):
            refused = await client.post("/api/payments/checkout", json=CHECKOUT | {"vatId": "FRXX"})
            assert refused.status_code == 422 and refused.json()["code"] == "vat_id_invalid"
            assert refused.json()["errors"][0]["field"] == "vat_id"
            prices = (await client.get("/api/payments/pricing", params=PRICING)).json()
            assert (prices["vatIdStatus"], prices["taxNote"]) == ("valid", None)

            order = (await client.post("/api/payments/checkout", json=CHECKOUT)).json()
            assert order["reverseCharge"] and order["total"] == {"net": 29900, "tax": 0, "gross": 29900}
            check = order["vatIdCheck"]
            assert check["status"] == "valid" and check["consultationNumber"].startswith("WAPIAAAAW")
            assert vies.requests[-1]["requesterNumber"] == "111111111"
            invoice = await pay(order)
            stored = (await client.get(f"/api/payments/orders/{order['id']}")).json()
            assert stored["vatIdCheck"] == check  # kept on the order in SQLite
            assert invoice["notes"][0] == "Reverse charge: VAT to be accounted for by the recipient."
            assert f"VAT id {BUSINESS} verified with VIES on " in invoice["notes"][1]
            assert check["consultationNumber"] in invoice["notes"][1]


async def test_when_vies_is_down_the_checkout_charges_vat_and_says_so(tmp_path: Path) -> None:
    with running_vies() as vies:
        vies.register(BUSINESS)
        vies.fail_with = "MS_UNAVAILABLE"
        async with embedded_shop(tmp_path, vies="rest", vies_api_base=vies.base_url) as (client, _):
            order = (await client.post("/api/payments/checkout", json=CHECKOUT)).json()
            assert (order["reverseCharge"], order["taxNote"], order["total"]["tax"]) == (False, UNVERIFIED_NOTE, 4983)
