"""A developer's statements over HTTP in the embedded profile (SQLite on disk, the sandbox
provider): a customer buys a publisher's extension and gets part of it refunded; the owner lists
the publisher's statements and reads this month's as JSON, CSV and PDF, each equal to the ledger,
its revenue, and the developer dashboard's revenue at a glance;
another developer, and a customer, are told there is no such publisher (404) or may not ask (403)."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.billing.ledger import Account
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import bearer
from tests.integration.http.test_extension_sales_journey import developer_with_a_paid_extension, ledger_balances
from tests.integration.http.test_purchase_to_refund_journey import deliver_webhooks
from tests.unit.billing.test_invoice_pdf import page_text


async def test_the_owner_downloads_statements_equal_to_the_ledger_and_no_one_else_does(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    app = create_app(container, settings)
    await seed_editor_plans(container)
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(settings),
        webhook_secrets(settings)[0],
        transport=httpx.ASGITransport(app=app),
    )
    month = f"{datetime.now(UTC):%Y-%m}"
    try:
        async with AsyncTestClient(app=app) as client:
            acme = await developer_with_a_paid_extension(client, container, "acme")
            globex = await developer_with_a_paid_extension(client, container, "globex")
            prices = {
                "policyId": acme["policy_id"],
                "prices": [{"currency": "EUR", "interval": "one_time", "amount": 1999, "taxInclusive": True}],
            }
            priced = await client.put(
                f"/api/extensions/{acme['extension_id']}/prices", json=prices, headers=acme["auth"]
            )
            assert priced.status_code == 200, priced.text
            buyer_id = await add_account(container, "carol@example.com", Role.CUSTOMER)
            buyer, _ = await start_session(container, buyer_id, Role.CUSTOMER)
            cart = {"currency": "EUR", "country": "DE", "items": [{"productCode": priced.json()["productCode"]}]}
            checkout = await client.post("/api/payments/checkout", json=cart, headers=bearer(buyer))
            assert checkout.status_code == 201, checkout.text
            order = checkout.json()
            page = urlsplit(order["redirectUrl"]).path
            assert (await client.post(f"{page}/pay", follow_redirects=False)).status_code == 303
            await deliver_webhooks(dispatcher, container)
            refund = await client.post(
                "/api/payments/refund",
                json={"orderId": order["id"], "amount": 500, "reason": "Partly unhappy"},
                headers=bearer(buyer),
            )
            assert refund.status_code == 201, refund.text
            await deliver_webhooks(dispatcher, container)
            owed = -(await ledger_balances(container))[Account.seller_payable(UUID(acme["publisher_id"]))].amount_minor
            assert owed > 0

            listed = await client.get(
                "/api/payments/statements", params={"publisherId": acme["publisher_id"]}, headers=acme["auth"]
            )
            assert listed.status_code == 200, listed.text
            [mine] = listed.json()["publishers"]
            assert [(s["month"], s["currency"]) for s in mine["statements"]] == [(month, "EUR")]
            links = mine["statements"][0]

            shown = await client.get(links["url"], headers=acme["auth"])
            assert shown.status_code == 200, shown.text
            statement = shown.json()
            assert (statement["openingBalance"], statement["closingBalance"]) == (0, owed)
            assert [line["kind"] for line in statement["lines"]] == ["sale", "refund"]
            assert statement["sales"] + statement["refunds"] == owed and statement["fees"] == 0
            assert statement["lines"][0]["orderId"] == order["id"] and statement["lines"][0]["gross"] == 1999

            as_csv = await client.get(links["csv"], headers=acme["auth"])
            assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
            rows = {row["kind"]: row for row in csv.DictReader(io.StringIO(as_csv.text))}
            assert rows["sale"]["gross"] == "19.99" and rows["sale"]["order_id"] == order["id"]
            assert rows["closing_balance"]["amount"] == f"{owed // 100}.{owed % 100:02d}"

            as_pdf = await client.get(links["pdf"], headers=acme["auth"])
            assert as_pdf.status_code == 200 and as_pdf.headers["content-type"] == "application/pdf"
            text = page_text(as_pdf.content)
            assert "Acme" in text and f"{owed // 100}.{owed % 100:02d}" in text and "Closing balance" in text

            for path in (links["url"], links["csv"], links["pdf"]):
                assert (await client.get(path, headers=globex["auth"])).status_code == 404
                assert (await client.get(path, headers=bearer(buyer))).status_code == 403
            theirs = await client.get("/api/payments/statements", headers=globex["auth"])
            assert [p["publisherId"] for p in theirs.json()["publishers"]] == [globex["publisher_id"]]
            assert theirs.json()["publishers"][0]["statements"] == []
            revenue = await client.get(
                "/api/payments/revenue", params={"publisherId": acme["publisher_id"]}, headers=acme["auth"]
            )
            assert revenue.status_code == 200, revenue.text
            [eur] = revenue.json()["currencies"]
            assert (eur["currency"], eur["net"], eur["balance"], eur["pending"]) == (
                "EUR",
                owed,
                owed,
                statement["sales"],
            )
            assert [(e["name"], e["sales"], e["gross"]) for e in eur["extensions"]] == [("Acme Lint", 1, 1999)]
            assert eur["nextPayout"]["minimum"] == 10000 and eur["payouts"] == []
            assert revenue.json()["statements"]["statements"][0]["csv"] == links["csv"]
            others = {"publisherId": acme["publisher_id"]}
            assert (await client.get("/api/payments/revenue", params=others, headers=globex["auth"])).status_code == 404
            naive = await client.get(
                "/api/payments/revenue", params={**others, "from": "2026-01-01T00:00:00"}, headers=acme["auth"]
            )
            assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "from", naive.text
            dashboard = await client.get("/api/developer/dashboard", headers=acme["auth"])
            assert dashboard.status_code == 200, dashboard.text
            [glance] = dashboard.json()["revenue"]
            assert (glance["publisherId"], glance["currency"], glance["netThisMonth"]) == (
                acme["publisher_id"],
                "EUR",
                owed,
            )
            assert glance["pending"] == eur["pending"] and glance["nextPayoutMinimum"] == 10000
            assert glance["statementsUrl"] == f"/api/payments/statements?publisherId={acme['publisher_id']}"
            assert (await client.get("/api/developer/dashboard", headers=globex["auth"])).json()["revenue"] == []
            bad = await client.get(f"/api/payments/statements/{acme['publisher_id']}/2026-13", headers=acme["auth"])
            assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "month", bad.text
    finally:
        await container.close()
