"""The documents of a purchase, end to end in the embedded profile (SQLite, the sandbox provider):
pay -> the invoice (JSON equal to what was charged, and a PDF) -> refund in full -> the credit note
(JSON and PDF) -> the license is revoked, and the ledger is back to zero on the processor."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import CLEARING, PROCESSOR_FEES
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.integration.http.test_purchase_journey import mail_text
from tests.outbox_drain import drain


async def test_the_invoice_and_the_credit_note_of_a_refunded_purchase(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path), invoice_seller_vat_id="DE123456789")
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)  # the test runs the worker's jobs itself (drain)
    app = create_app(container, settings)
    await seed_editor_plans(container)
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(settings),
        webhook_secrets(settings)[0],
        transport=httpx.ASGITransport(app=app),
    )
    async with AsyncTestClient(app=app) as client:
        await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
        await drain(container)
        await client.post("/api/auth/verify-email", json={"token": link_token(tmp_path / "mail", "Welcome")})
        login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
        auth = bearer(login.json()["accessToken"])
        body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
        order = (await client.post("/api/payments/checkout", json=body, headers=auth)).json()
        await client.post(f"{urlsplit(order['redirectUrl']).path}/pay", follow_redirects=False)
        await dispatcher.dispatch_due()
        await drain(container, rounds=10)

        [listed] = (await client.get("/api/payments/invoices", headers=auth)).json()["items"]
        invoice = (await client.get(f"/api/payments/invoices/{listed['id']}", headers=auth)).json()
        assert re.fullmatch(r"DF-\d{4}-000001", invoice["number"]) and invoice["status"] == "paid"
        assert invoice["total"] == {"net": 25126, "tax": 4774, "gross": 29900} and invoice["orderId"] == order["id"]
        assert invoice["seller"]["vatId"] == "DE123456789" and invoice["buyer"]["email"] == "ada@example.com"
        pdf = await client.get(f"/api/payments/invoices/{listed['id']}/pdf", headers=auth)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

        key = re.search(r"license key: (DF-[0-9A-Z-]+)", mail_text(tmp_path / "mail", "receipt")[0])
        assert key is not None
        license = {"Authorization": f"License {key.group(1)}"}
        await client.post("/api/licenses/activate", json={"fingerprint": "ada-laptop"}, headers=license)

        refund = await client.post(
            "/api/payments/refund", json={"orderId": order["id"], "reason": "Not for me"}, headers=auth
        )
        assert refund.status_code == 201, refund.text
        assert refund.json()["status"] in ("succeeded", "pending") and refund.json()["amount"] == 29900
        note_id = refund.json()["creditNote"]["id"]
        await dispatcher.dispatch_due()
        await drain(container, rounds=10)

        note = (await client.get(f"/api/payments/credit-notes/{note_id}", headers=auth)).json()
        assert re.fullmatch(r"CN-\d{4}-000001", note["number"]) and note["total"] == invoice["total"]
        note_pdf = await client.get(f"/api/payments/credit-notes/{note_id}/pdf", headers=auth)
        assert note_pdf.status_code == 200 and note_pdf.content.startswith(b"%PDF-")
        again = (await client.get(f"/api/payments/invoices/{listed['id']}", headers=auth)).json()
        assert again["refundable"] == 0 and [n["id"] for n in again["creditNotes"]] == [note_id]
        shown = (await client.get(f"/api/payments/orders/{order['id']}", headers=auth)).json()
        assert shown["status"] == "refunded"
        validated = await client.post("/api/licenses/validate", json={"fingerprint": "ada-laptop"}, headers=license)
        assert validated.json()["code"] == "REVOKED"

    async with container() as scope:
        ledger = await (await scope.get(LedgerRepository)).balances(Currency("EUR"))
    await container.close()
    # Refunded in full: the processor holds nothing of it but its fee, the platform's cost (the
    # sandbox's real fee once trued up).
    assert (ledger[CLEARING] + ledger[PROCESSOR_FEES]).is_zero and not ledger[PROCESSOR_FEES].is_zero
    assert sum(m.amount_minor for m in ledger.values()) == 0
