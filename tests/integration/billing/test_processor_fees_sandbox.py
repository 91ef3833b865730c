"""The embedded profile walks the processor fee's path too: the sandbox reports a computed fee
(Stripe's European card pricing for EUR, 1.5 % + 25 cents), unlike the settings' estimate
(2.9 % + 25), so the sale's estimate is trued up, once, as Stripe's would be."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.application.billing.settle_open_processor_fees import SettleOpenProcessorFees
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.billing.test_processor_fees_stripe import ESTIMATE, fees_in_ledger
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.outbox_drain import drain

SANDBOX_FEE = 449 + 25  # 29900 x 1.5 % = 448.5, half up


async def test_a_sandbox_sale_posts_the_estimate_then_the_true_up_once(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    app = create_app(container, settings)
    await seed_editor_plans(container)
    try:
        async with AsyncTestClient(app=app) as client:
            await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
            await drain(container)
            await client.post("/api/auth/verify-email", json={"token": link_token(tmp_path / "mail", "Welcome")})
            login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
            auth = bearer(login.json()["accessToken"])
            body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
            order = (await client.post("/api/payments/checkout", json=body, headers=auth)).json()
            page = urlsplit(order["redirectUrl"]).path
            assert (await client.post(f"{page}/pay", follow_redirects=False)).status_code == 303
            dispatcher = SandboxWebhookDispatcher(
                await container.get(SandboxStore),
                webhook_url(settings),
                webhook_secrets(settings)[0],
                transport=httpx.ASGITransport(app=app),
            )
            assert await dispatcher.dispatch_due() >= 2
            await drain(container, rounds=10)

            session = await (await container.get(SandboxStore)).latest_session_for_order(UUID(order["id"]))
            assert session is not None and session.payment_id is not None
            payment_id = session.payment_id
            assert await fees_in_ledger(container, payment_id) == (ESTIMATE, SANDBOX_FEE - ESTIMATE, SANDBOX_FEE)
            async with container() as scope:
                assert await (await scope.get(SettleOpenProcessorFees))() == 0  # nothing left open
            assert await fees_in_ledger(container, payment_id) == (ESTIMATE, SANDBOX_FEE - ESTIMATE, SANDBOX_FEE)
    finally:
        await container.close()
