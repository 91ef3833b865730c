"""Payout onboarding, end to end over HTTP in the embedded profile (SQLite on disk, the sandbox
provider, the worker driven by hand): a developer's publisher opens its payout account, walks the
sandbox's onboarding page to enabled, and each step reaches our state (and the developer
dashboard) only through the signed ``account.updated`` webhook the sandbox posts and the worker
applies. Calling again (even twice
at once) keeps the one account; someone else's publisher answers 404; bad input names its field."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import bearer
from tests.integration.http.test_purchase_to_refund_journey import deliver_webhooks

ACCOUNT = "/api/payments/payouts/account"


async def a_developer_with_a_publisher(client: AsyncTestClient[Litestar], container: AsyncContainer, name: str) -> Any:
    user_id = await add_account(container, f"{name}@{name}.example", Role.DEVELOPER)
    token, _ = await start_session(container, user_id, Role.DEVELOPER)
    auth = bearer(token)
    body = {"namespace": name, "displayName": name.title()}
    publisher = await client.post("/api/publishers", json=body, headers=auth)
    assert publisher.status_code == 201, publisher.text
    return auth, publisher.json()["id"]


async def test_a_publisher_onboards_in_the_sandbox_through_signed_webhooks(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)  # the test runs the worker's jobs itself
    app = create_app(container, settings)
    dispatcher = SandboxWebhookDispatcher(
        await container.get(SandboxStore),
        webhook_url(settings),
        webhook_secrets(settings)[0],
        transport=httpx.ASGITransport(app=app),
    )
    base = settings.http.resolved_public_base_url.rstrip("/")
    try:
        async with AsyncTestClient(app=app) as client:
            auth, publisher = await a_developer_with_a_publisher(client, container, "acme")
            other_auth, _ = await a_developer_with_a_publisher(client, container, "globex")

            before = await client.get(ACCOUNT, params={"publisherId": publisher}, headers=auth)
            assert before.status_code == 200, before.text
            assert before.json()["state"] == "not_started" and before.json()["requirements"] == []
            (glance,) = (await client.get("/api/developer/dashboard", headers=auth)).json()["payoutAccounts"]
            assert (glance["state"], glance["accountUrl"]) == ("not_started", f"{ACCOUNT}?publisherId={publisher}")

            # someone else's publisher is no publisher of theirs: 404 on both routes, nothing opened
            body = {"publisherId": publisher, "country": "DE", "returnUrl": f"{base}/payouts/done"}
            for answer in (
                await client.post(ACCOUNT, json=body, headers=other_auth),
                await client.get(ACCOUNT, params={"publisherId": publisher}, headers=other_auth),
            ):
                assert answer.status_code == 404, answer.text
                assert answer.json()["code"] == "payout_account_not_found"

            # bad input names its field, opens nothing
            for bad, field in (
                ({**body, "country": "XX"}, "country"),
                ({**body, "returnUrl": "https://evil.example/payouts"}, "returnUrl"),
                ({**body, "refreshUrl": "javascript:alert(1)"}, "refreshUrl"),
                ({"country": "DE"}, "publisherId"),
            ):
                refused = await client.post(ACCOUNT, json=bad, headers=auth)
                assert refused.status_code in (400, 422), refused.text
                assert refused.headers["content-type"].startswith("application/problem+json")
                assert field in refused.text, refused.text
            assert (await client.get(ACCOUNT, params={"publisherId": publisher}, headers=auth)).json()["state"] == (
                "not_started"
            )

            # two submits at once: one account, each with a link to it
            started = await asyncio.gather(*(client.post(ACCOUNT, json=body, headers=auth) for _ in range(2)))
            assert [answer.status_code for answer in started] == [200, 200], [a.text for a in started]
            accounts = {answer.json()["account"]["accountId"] for answer in started}
            assert len(accounts) == 1
            (account_id,) = accounts
            assert account_id.startswith("acct_sandbox_")
            again = await client.post(ACCOUNT, json=body, headers=auth)
            assert again.json()["account"]["accountId"] == account_id
            assert again.json()["account"]["state"] == "pending"
            fixed = await client.post(ACCOUNT, json={**body, "country": "FR"}, headers=auth)
            assert fixed.status_code == 409 and fixed.json()["code"] == "payout_country_fixed"

            # the sandbox's hosted onboarding: a local page, one step at a time
            page_path = urlsplit(again.json()["onboardingUrl"]).path
            page = await client.get(page_path)
            assert page.status_code == 200 and "pending" in page.text and "bank account" in page.text

            async def step() -> str:
                moved = await client.post(f"{page_path}/advance", follow_redirects=False)
                assert moved.status_code == 303, moved.text
                return moved.headers["location"]

            async def state() -> dict[str, Any]:
                answer = await client.get(ACCOUNT, params={"publisherId": publisher}, headers=auth)
                assert answer.status_code == 200, answer.text
                return dict(answer.json())

            assert await step() == again.json()["onboardingUrl"]  # details submitted: back to the page
            assert (await state())["state"] == "pending"  # nothing changes here until the webhook arrives
            assert await deliver_webhooks(dispatcher, container) == 1
            restricted = await state()
            assert (restricted["state"], restricted["payoutsEnabled"], restricted["detailsSubmitted"]) == (
                "restricted",
                False,
                True,
            )
            assert [(r["code"], r["pastDue"]) for r in restricted["requirements"]] == [
                ("individual.verification.document", True),
                ("external_account", True),
            ]
            assert restricted["requirements"][1]["description"] == "A bank account to pay out to"
            assert "past due" in restricted["disabledReason"]
            dashboard = await client.get("/api/developer/dashboard", headers=auth)
            assert dashboard.status_code == 200, dashboard.text
            (glance,) = dashboard.json()["payoutAccounts"]
            assert (glance["publisherId"], glance["state"], glance["payoutsEnabled"]) == (
                publisher,
                "restricted",
                False,
            )
            assert "A bank account to pay out to" in glance["missing"]

            assert await step() == f"{base}/payouts/done"  # enabled: back to the publisher's return URL
            assert await deliver_webhooks(dispatcher, container) == 1
            enabled = await state()
            assert (enabled["state"], enabled["payoutsEnabled"], enabled["requirements"]) == ("enabled", True, [])
            assert enabled["disabledReason"] is None
            (glance,) = (await client.get("/api/developer/dashboard", headers=auth)).json()["payoutAccounts"]
            assert (glance["state"], glance["payoutsEnabled"], glance["missing"]) == ("enabled", True, [])

            # a step posted again moves nothing and sends nothing
            assert await step() == f"{base}/payouts/done"
            assert await deliver_webhooks(dispatcher, container) == 0
            assert (await state())["state"] == "enabled"

            # the provider asks for more: back to restricted, through the same path
            restrict = await client.post(f"{page_path}/restrict", follow_redirects=False)
            assert restrict.status_code == 303
            assert await deliver_webhooks(dispatcher, container) == 1
            assert (await state())["state"] == "restricted"
            assert (await client.get("/api/payments/sandbox/onboarding/acct_sandbox_nobody")).status_code == 404
    finally:
        await container.close()
