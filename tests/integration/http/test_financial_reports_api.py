"""The financial reports over HTTP in the embedded profile (the sandbox provider), on SQLite and
PostgreSQL: two sales in two currencies and a partial refund, then every report read by a
finance account with two-factor, as JSON and CSV. Their totals equal the ledger to the cent, the
reconciliation of clean books lists no difference, and bad periods are 422 naming the field."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import PROCESSOR_FEES, TAX_PAYABLE
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.outbox_drain import drain

PERIOD = {"from": "2026-01-01T00:00:00Z", "to": "2027-01-01T00:00:00Z", "interval": "month"}
REPORTS = ("revenue", "refunds", "fees", "tax", "payables")


@pytest.fixture(params=("sqlite", "postgres"))
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with postgres_database() if request.param == "postgres" else sqlite_database(tmp_path) as url:
        yield url


def totals(body: dict[str, Any], column: str) -> dict[str, int]:
    """A report's total of one column per currency."""
    at, currency_at = body["columns"].index(column), body["columns"].index("currency")
    return {row[currency_at]: row[at] for row in body["totals"]}


async def ledger_balance(container: AsyncContainer, currency: str) -> dict[str, int]:
    async with container() as scope:
        found = await (await scope.get(LedgerRepository)).balances(Currency(currency))
    return {account.code: money.amount_minor for account, money in found.items()}


async def test_reports_equal_the_ledger_and_clean_books_reconcile(tmp_path: Path, database: str) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path), database_url=database)
    container = make_container(settings)
    app = create_app(container, settings)
    try:
        async with AsyncTestClient(app=app) as client:
            client.blocking_portal.call(seed_editor_plans, container)
            await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
            on_app = client.blocking_portal.call  # the app's loop: asyncpg's pool is bound to it
            on_app(drain, container)
            await client.post("/api/auth/verify-email", json={"token": link_token(tmp_path / "mail", "Welcome")})
            login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
            buyer = bearer(login.json()["accessToken"])
            dispatcher = SandboxWebhookDispatcher(
                await container.get(SandboxStore),
                webhook_url(settings),
                webhook_secrets(settings)[0],
                transport=httpx.ASGITransport(app=app),
            )
            orders = []
            for currency in ("EUR", "USD"):
                body = {"productCode": "editor-perpetual", "currency": currency, "country": "DE"}
                order = (await client.post("/api/payments/checkout", json=body, headers=buyer)).json()
                page = urlsplit(order["redirectUrl"]).path
                assert (await client.post(f"{page}/pay", follow_redirects=False)).status_code == 303
                orders.append(order)
            on_app(dispatcher.dispatch_due)
            on_app(partial(drain, container, rounds=10))
            refund = {"orderId": orders[0]["id"], "amount": 5000, "reason": "partly"}
            assert (await client.post("/api/payments/refund", json=refund, headers=buyer)).status_code == 201
            on_app(dispatcher.dispatch_due)
            on_app(partial(drain, container, rounds=10))

            finance_id = on_app(partial(add_account, container, "finance@example.com", Role.FINANCE, two_factor=True))
            finance = bearer(on_app(start_session, container, finance_id, Role.FINANCE)[0])
            bodies = {}
            for name in REPORTS:
                answer = await client.get(f"/api/payments/reports/{name}", params=PERIOD, headers=finance)
                assert answer.status_code == 200, answer.text
                bodies[name] = answer.json()
                exported = await client.get(f"/api/payments/reports/{name}.csv", params=PERIOD, headers=finance)
                assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
                rows = list(csv.reader(io.StringIO(exported.text)))
                assert rows[0] == bodies[name]["columns"]
                assert len(rows) == 1 + len(bodies[name]["rows"]) + len(bodies[name]["totals"])
            reconciled = await client.get("/api/payments/reports/reconciliation", params=PERIOD, headers=finance)
            assert reconciled.status_code == 200, reconciled.text
            exported = await client.get("/api/payments/reports/reconciliation.csv", params=PERIOD, headers=finance)
            assert exported.text.splitlines() == ["kind,reference,currency,expected,found,detail"]

            refused = []
            for params, _ in (
                (PERIOD | {"to": "2025-12-01T00:00:00Z"}, "to"),
                (PERIOD | {"to": "2028-01-01T00:00:00Z"}, "to"),
                (PERIOD | {"interval": "year"}, "interval"),
                (PERIOD | {"interval": "day"}, "interval"),
                (PERIOD | {"from": "2026-01-01T00:00:00"}, "from"),
            ):
                answer = await client.get("/api/payments/reports/revenue", params=params, headers=finance)
                fields = [error["field"] for error in answer.json().get("errors", [])]
                refused.append((answer.status_code, answer.headers["content-type"], fields))
            garbled = await client.get("/api/payments/reports/fees", params=PERIOD | {"from": "soon"}, headers=finance)
            customer = await client.get("/api/payments/reports/revenue", params=PERIOD, headers=buyer)
            eur, usd = on_app(ledger_balance, container, "EUR"), on_app(ledger_balance, container, "USD")
    finally:
        await container.close()

    paid = {order["currency"]: order["total"]["gross"] for order in orders}
    assert totals(bodies["revenue"], "gross") == paid
    assert totals(bodies["refunds"], "gross") == {"EUR": 5000}
    assert totals(bodies["fees"], "total") == {"EUR": eur[PROCESSOR_FEES.code], "USD": usd[PROCESSOR_FEES.code]}
    assert totals(bodies["tax"], "collected") == {"EUR": -eur[TAX_PAYABLE.code], "USD": -usd[TAX_PAYABLE.code]}
    assert totals(bodies["refunds"], "tax") == {"EUR": totals(bodies["tax"], "credited")["EUR"]}
    assert bodies["payables"]["rows"] == []  # the editor's own plans: no seller
    assert (reconciled.json()["orders"], reconciled.json()["sales"], reconciled.json()["differences"]) == (2, 2, [])
    assert reconciled.json()["providerTransactions"] == 3  # two charges and the refund
    assert refused == [(422, "application/problem+json", [f]) for f in ("to", "to", "interval", "interval", "from")]
    assert garbled.status_code == 400 and "from" in garbled.text
    assert customer.status_code == 403
