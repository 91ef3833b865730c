"""The Billing issue's end-to-end journey in one go, over HTTP in the embedded profile (SQLite on
disk, the sandbox provider, mail written to a Maildir, the worker driven by hand): register ->
verify from the mailed link -> pricing -> checkout -> pay on the sandbox page -> the signed
webhooks delivered -> the license key in the receipt mail -> activate -> validate VALID -> refund
in full -> validate REVOKED; the invoice and the credit note download as real PDFs carrying their
numbers, and the ledger balances at the end."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import CLEARING, PROCESSOR_FEES, REFUNDS, REVENUE, TAX_PAYABLE
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.integration.http.test_purchase_journey import mail_text
from tests.outbox_drain import drain
from tests.unit.billing.test_invoice_pdf import page_text

EMAIL = "grace@example.com"
GROSS = {"net": 25126, "tax": 4774, "gross": 29900}


async def deliver_webhooks(dispatcher: SandboxWebhookDispatcher, container: AsyncContainer) -> int:
    """What the worker does between requests: post the due signed webhooks, then drain the outbox."""
    sent = await dispatcher.dispatch_due()
    await drain(container, rounds=10)
    return sent


def assert_real_pdf(answer: httpx.Response, number: str) -> None:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/pdf")
    assert number in answer.headers["content-disposition"]
    assert answer.content.startswith(b"%PDF-") and answer.content.rstrip().endswith(b"%%EOF")
    assert number in page_text(answer.content)


async def test_register_buy_activate_refund_and_download_the_documents(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path), invoice_seller_vat_id="DE123456789")
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)  # the test runs the worker's jobs itself (drain)
    app = create_app(container, settings)
    await seed_editor_plans(container)
    maildir = tmp_path / "mail"
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(settings),
        webhook_secrets(settings)[0],
        transport=httpx.ASGITransport(app=app),
    )
    try:
        async with AsyncTestClient(app=app) as client:
            # register, and verify with the token from the welcome mail on disk
            registered = await client.post("/api/auth/register", json={"email": EMAIL, "password": PASSWORD})
            assert registered.status_code == 201, registered.text
            await drain(container)
            verified = await client.post("/api/auth/verify-email", json={"token": link_token(maildir, "Welcome")})
            assert verified.status_code == 204, verified.text
            login = await client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
            assert login.status_code == 200, login.text
            auth = bearer(login.json()["accessToken"])

            # the prices, then a checkout at that price
            pricing = await client.get("/api/payments/pricing", params={"currency": "EUR", "country": "DE"})
            assert pricing.status_code == 200, pricing.text
            perpetual = next(p for p in pricing.json()["products"] if p["code"] == "editor-perpetual")
            assert perpetual["offers"][0]["amounts"] == GROSS
            body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
            checkout = await client.post("/api/payments/checkout", json=body, headers=auth)
            assert checkout.status_code == 201, checkout.text
            order = checkout.json()

            # the sandbox's hosted page, paid; the worker delivers the signed webhooks
            page = urlsplit(order["redirectUrl"]).path
            assert page.startswith("/api/payments/sandbox/checkout/")
            assert (await client.get(page)).status_code == 200
            paid = await client.post(f"{page}/pay", follow_redirects=False)
            assert paid.status_code == 303 and order["id"] in paid.headers["location"]
            assert await deliver_webhooks(dispatcher, container) >= 2
            shown = await client.get(f"/api/payments/orders/{order['id']}", headers=auth)
            assert shown.json()["status"] == "paid"

            # the key comes in the receipt mail; activate it on a machine, and it validates
            [receipt] = mail_text(maildir, "receipt")
            key = re.search(r"license key: (DF-[0-9A-Z-]+)", receipt)
            assert key is not None, receipt
            license = {"Authorization": f"License {key.group(1)}"}
            machine = {"fingerprint": "grace-workstation"}
            activated = await client.post("/api/licenses/activate", json=machine, headers=license)
            assert activated.status_code in (200, 201), activated.text
            validated = await client.post("/api/licenses/validate", json=machine, headers=license)
            assert validated.status_code == 200 and validated.json()["code"] == "VALID", validated.text

            # the invoice of the purchase
            invoices = await client.get("/api/payments/invoices", headers=auth)
            assert invoices.status_code == 200, invoices.text
            [listed] = invoices.json()["items"]
            assert listed["orderId"] == order["id"] and listed["status"] == "paid" and listed["total"] == GROSS
            assert re.fullmatch(r"DF-\d{4}-000001", listed["number"])

            # refund in full: a credit note for all of it, and the license revoked
            refund = await client.post(
                "/api/payments/refund", json={"orderId": order["id"], "reason": "Changed my mind"}, headers=auth
            )
            assert refund.status_code == 201, refund.text
            assert refund.json()["status"] in ("succeeded", "pending") and refund.json()["amount"] == GROSS["gross"]
            note = refund.json()["creditNote"]
            assert note is not None and re.fullmatch(r"CN-\d{4}-000001", note["number"])
            await deliver_webhooks(dispatcher, container)
            shown = await client.get(f"/api/payments/orders/{order['id']}", headers=auth)
            assert shown.json()["status"] == "refunded"
            validated = await client.post("/api/licenses/validate", json=machine, headers=license)
            assert validated.json()["code"] == "REVOKED", validated.text

            # both documents download as PDFs carrying their numbers
            invoice = (await client.get(f"/api/payments/invoices/{listed['id']}", headers=auth)).json()
            assert invoice["refundable"] == 0 and [n["id"] for n in invoice["creditNotes"]] == [note["id"]]
            invoice_pdf = await client.get(f"/api/payments/invoices/{listed['id']}/pdf", headers=auth)
            assert_real_pdf(invoice_pdf, listed["number"])
            assert note["number"] in page_text(invoice_pdf.content)  # the invoice lists its credit note
            note_pdf = await client.get(f"/api/payments/credit-notes/{note['id']}/pdf", headers=auth)
            assert_real_pdf(note_pdf, note["number"])
            assert listed["number"] in page_text(note_pdf.content)  # the note names the invoice it credits

        # the ledger (no HTTP read path: read through its port): every transaction balances, the
        # accounts sum to zero, and the refund undid the sale
        async with container() as scope:
            ledger = await scope.get(LedgerRepository)
            transactions = await ledger.transactions(Currency("EUR"))
            balances = await ledger.balances(Currency("EUR"))
    finally:
        await container.close()
    assert transactions
    assert all(sum(e.amount.amount_minor for e in t.entries) == 0 for t in transactions)
    assert sum(m.amount_minor for m in balances.values()) == 0
    # Refunded in full: only the processor's fee (the platform's cost, trued up) left clearing.
    assert (balances[CLEARING] + balances[PROCESSOR_FEES]).is_zero and balances[TAX_PAYABLE].is_zero
    assert balances[REVENUE].amount_minor == -GROSS["net"] and balances[REFUNDS].amount_minor == GROSS["net"]
