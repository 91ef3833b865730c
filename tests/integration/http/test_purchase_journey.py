"""The purchase journey over HTTP in the embedded profile (SQLite, the sandbox provider, mail
to a Maildir): sign up, verify, read the prices, check out, pay on the sandbox page, get the
license key in the receipt mail, activate it and validate it."""

from __future__ import annotations

import asyncio
import mailbox
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.outbox_drain import drain


def mail_text(folder: Path, subject_part: str) -> list[str]:
    found = []
    for message in mailbox.Maildir(folder, create=False):
        mail = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
        assert isinstance(mail, EmailMessage)
        if subject_part in str(mail["Subject"]):
            body = mail.get_body(("plain",))
            assert isinstance(body, EmailMessage)
            found.append(body.get_content())
    return found


async def test_buy_the_editor_and_use_the_key_from_the_receipt(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)  # the test runs the worker's jobs itself (drain)
    app = create_app(container, settings)
    await seed_editor_plans(container)
    async with AsyncTestClient(app=app) as client:
        assert (
            await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
        ).status_code == 201
        await drain(container)
        token = link_token(tmp_path / "mail", "Welcome")
        assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 204
        login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
        access = login.json()["accessToken"]

        prices = (await client.get("/api/payments/pricing", params={"currency": "EUR", "country": "DE"})).json()
        perpetual = next(p for p in prices["products"] if p["code"] == "editor-perpetual")
        assert perpetual["offers"][0]["amounts"] == {"net": 25126, "tax": 4774, "gross": 29900}

        body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
        checkout = await client.post("/api/payments/checkout", json=body, headers=bearer(access))
        assert checkout.status_code == 201, checkout.text
        order = checkout.json()
        page = urlsplit(order["redirectUrl"]).path
        assert (await client.get(page)).status_code == 200
        paid = await client.post(f"{page}/pay", follow_redirects=False)
        assert paid.status_code == 303 and order["id"] in paid.headers["location"]

        dispatcher = SandboxWebhookDispatcher(
            await container.get(SandboxStore),
            webhook_url(settings),
            webhook_secrets(settings)[0],
            transport=httpx.ASGITransport(app=app),
        )
        assert await dispatcher.dispatch_due() >= 2
        await drain(container, rounds=10)

        shown = (await client.get(f"/api/payments/orders/{order['id']}", headers=bearer(access))).json()
        assert shown["status"] == "paid"
        receipts = mail_text(tmp_path / "mail", "receipt")
        assert len(receipts) == 1
        key = re.search(r"license key: (DF-[0-9A-Z-]+)", receipts[0])
        assert key is not None

        license = {"Authorization": f"License {key.group(1)}"}
        activated = await client.post("/api/licenses/activate", json={"fingerprint": "ada-laptop"}, headers=license)
        assert activated.status_code in (200, 201), activated.text
        validated = await client.post("/api/licenses/validate", json={"fingerprint": "ada-laptop"}, headers=license)
        assert validated.json()["code"] == "VALID"
