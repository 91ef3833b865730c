"""Selling extensions, end to end over HTTP in the embedded profile (SQLite on disk, the sandbox
provider, the worker driven by hand): two publishers each link an extension to a licensing
product and price it; a customer buys one of each and an editor plan in one checkout (one
charge); the ledger credits each publisher its share (70 % of the line's net, floored) and the
platform the rest; a partial refund gives back each publisher's share in proportion."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

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
from devforge.domain.billing.ledger import CLEARING, PROCESSOR_FEES, REFUNDS, REVENUE, TAX_PAYABLE, Account
from devforge.domain.billing.money import Money
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import bearer
from tests.integration.http.test_purchase_to_refund_journey import deliver_webhooks


async def developer_with_a_paid_extension(client: AsyncTestClient, container: Any, name: str) -> dict[str, Any]:
    """A developer's publisher, an extension linked to its licensing product, and that product's policy."""
    user_id = await add_account(container, f"{name}@{name}.example", Role.DEVELOPER)
    token, _ = await start_session(container, user_id, Role.DEVELOPER)
    auth = bearer(token)
    publisher = await client.post(
        "/api/publishers", json={"namespace": name, "displayName": name.title()}, headers=auth
    )
    assert publisher.status_code == 201, publisher.text
    listing = {"displayName": f"{name.title()} Lint", "description": "Finds what others miss."}
    extension = await client.post(
        "/api/extensions", json={"publisherId": publisher.json()["id"], "name": f"{name}-lint", **listing}, headers=auth
    )
    assert extension.status_code == 201, extension.text
    product = await client.post("/api/licensing/products", json={"code": f"{name}-lint", "name": "Lint"}, headers=auth)
    assert product.status_code == 201, product.text
    policy = await client.post(
        "/api/licensing/policies", json={"productId": product.json()["id"], "name": "Seat"}, headers=auth
    )
    assert policy.status_code == 201, policy.text
    linked = await client.put(
        f"/api/extensions/{extension.json()['id']}",
        json={**listing, "licenseProductId": product.json()["id"]},
        headers=auth,
    )
    assert linked.status_code == 200, linked.text
    return {
        "auth": auth,
        "user_id": user_id,
        "publisher_id": publisher.json()["id"],
        "extension_id": extension.json()["id"],
        "policy_id": policy.json()["id"],
    }


def share_of(net: int) -> int:
    return net * 7000 // 10000  # the default commission, 30 %: the developer's share floored


async def test_publishers_price_extensions_and_a_cart_of_three_sellers_splits_in_the_ledger(tmp_path: Path) -> None:
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
    try:
        async with AsyncTestClient(app=app) as client:
            acme = await developer_with_a_paid_extension(client, container, "acme")
            globex = await developer_with_a_paid_extension(client, container, "globex")

            # each owner prices its own extension; the other's answers 404, a bad price names its field
            path = f"/api/extensions/{acme['extension_id']}/prices"
            prices = {
                "policyId": acme["policy_id"],
                "prices": [{"currency": "EUR", "interval": "one_time", "amount": 1999, "taxInclusive": True}],
            }
            priced = await client.put(path, json=prices, headers=acme["auth"])
            assert priced.status_code == 200, priced.text
            assert priced.json()["publisherId"] == acme["publisher_id"]
            acme_code = priced.json()["productCode"]
            assert (await client.put(path, json=prices, headers=globex["auth"])).status_code == 404
            bad = {**prices, "prices": [{"currency": "EUR", "interval": "one_time", "amount": 0}]}
            refused = await client.put(path, json=bad, headers=acme["auth"])
            assert refused.status_code == 400 and refused.headers["content-type"] == "application/problem+json"
            assert "amount" in str(refused.json()), refused.text
            others_policy = {**prices, "policyId": globex["policy_id"]}
            refused = await client.put(path, json=others_policy, headers=acme["auth"])
            assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "policyId")
            globex_prices = {
                "policyId": globex["policy_id"],
                "prices": [{"currency": "EUR", "interval": "one_time", "amount": 4999, "taxInclusive": True}],
            }
            priced = await client.put(
                f"/api/extensions/{globex['extension_id']}/prices", json=globex_prices, headers=globex["auth"]
            )
            assert priced.status_code == 200, priced.text
            globex_code = priced.json()["productCode"]

            # the price list shows both beside the editor's plans, each naming its seller
            pricing = (await client.get("/api/payments/pricing", params={"currency": "EUR", "country": "DE"})).json()
            sellers = {p["code"]: p["sellerId"] for p in pricing["products"]}
            assert sellers[acme_code] == acme["publisher_id"] and sellers[globex_code] == globex["publisher_id"]
            assert sellers["editor-perpetual"] is None

            # one checkout, three sellers (the platform's plan, acme's extension, two seats of globex's)
            buyer_id = await add_account(container, "carol@example.com", Role.CUSTOMER)
            buyer, _ = await start_session(container, buyer_id, Role.CUSTOMER)
            cart = {
                "currency": "EUR",
                "country": "DE",
                "items": [
                    {"productCode": "editor-perpetual"},
                    {"productCode": acme_code},
                    {"productCode": globex_code, "quantity": 2},
                ],
            }
            checkout = await client.post("/api/payments/checkout", json=cart, headers=bearer(buyer))
            assert checkout.status_code == 201, checkout.text
            order = checkout.json()
            lines = order["lines"]
            assert [line["sellerId"] for line in lines] == [None, acme["publisher_id"], globex["publisher_id"]]
            page = urlsplit(order["redirectUrl"]).path
            assert (await client.post(f"{page}/pay", follow_redirects=False)).status_code == 303
            await deliver_webhooks(dispatcher, container)
            shown = await client.get(f"/api/payments/orders/{order['id']}", headers=bearer(buyer))
            assert shown.json()["status"] == "paid"
            # fulfilment: each line's license, from its own policy; two seats of a node-locked policy are two licenses
            licenses = await client.get("/api/licenses", headers=bearer(buyer))
            assert licenses.status_code == 200, licenses.text
            by_policy = Counter(license["policyId"] for license in licenses.json())
            assert (by_policy[acme["policy_id"]], by_policy[globex["policy_id"]], sum(by_policy.values())) == (1, 2, 4)

            acme_share, globex_share = share_of(lines[1]["amounts"]["net"]), share_of(lines[2]["amounts"]["net"])
            balances = await ledger_balances(container)
            assert balances[seller(acme)] == Money(-acme_share, Currency("EUR"))
            assert balances[seller(globex)] == Money(-globex_share, Currency("EUR"))
            total_net = sum(line["amounts"]["net"] for line in lines)
            assert balances[REVENUE].amount_minor == -(total_net - acme_share - globex_share)

            # a partial refund: each seller gives back its share of what went back of its line
            refund = await client.post(
                "/api/payments/refund",
                json={"orderId": order["id"], "amount": 5000, "reason": "One seat too many"},
                headers=bearer(buyer),
            )
            assert refund.status_code == 201, refund.text
            note = await client.get(
                f"/api/payments/credit-notes/{refund.json()['creditNote']['id']}", headers=bearer(buyer)
            )
            assert note.status_code == 200, note.text
            credited = note.json()["lines"]
            await deliver_webhooks(dispatcher, container)
            balances = await ledger_balances(container)
    finally:
        await container.close()
    given_back = {}
    for developer, share, line, back in (
        (acme, acme_share, lines[1], credited[1]),
        (globex, globex_share, lines[2], credited[2]),
    ):
        given_back[developer["publisher_id"]] = share * back["gross"] // line["amounts"]["gross"]
        assert given_back[developer["publisher_id"]] > 0
        assert balances[seller(developer)].amount_minor == -(share - given_back[developer["publisher_id"]])
    # the platform takes back the rest of the refund's net; the ledger balances
    credited_net = sum(line["net"] for line in credited)
    assert balances[REFUNDS].amount_minor == credited_net - sum(given_back.values())
    fee = balances[PROCESSOR_FEES].amount_minor  # the processor's, the platform's cost: no seller's account
    assert fee > 0 and balances[CLEARING].amount_minor + fee == sum(line["amounts"]["gross"] for line in lines) - 5000
    assert sum(money.amount_minor for money in balances.values()) == 0
    assert balances[TAX_PAYABLE].amount_minor == -(
        sum(line["amounts"]["tax"] for line in lines) - sum(line["tax"] for line in credited)
    )


def seller(developer: dict[str, Any]) -> Account:
    return Account.seller_payable(UUID(developer["publisher_id"]))


async def ledger_balances(container: Any) -> dict[Account, Money]:
    async with container() as scope:
        ledger = await scope.get(LedgerRepository)
        return await ledger.balances(Currency("EUR"))
