"""Every event type the provider may send is taken, on PostgreSQL too: one we do not handle is
stored, acknowledged with 200 and marked ignored, never answered with an error the provider
would retry for days (Stripe's ``customer.subscription.pending_update_expired`` did not fit a
50-character column)."""

from __future__ import annotations

import json
import time

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.payments.stripe_signature import sign
from devforge.adapters.persistence.tables import billing_inbox
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.payments import webhook_secrets
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database
from tests.outbox_drain import drain

LONG_TYPES = (
    "customer.subscription.pending_update_expired",
    "customer.subscription.pending_update_applied",
    "payment_intent.partially_funded",
    "customer.cash_balance.transaction_created",
)


@pytest.mark.xdist_group("postgres-billing")
async def test_unhandled_event_types_are_stored_and_ignored_on_postgres() -> None:
    async with postgres_database() as url:
        settings = settings_for_tests(database_url=url)
        container = make_container(settings, SqlaPersistenceProvider(), SqlaBillingProvider(), base=memory_providers())
        secret = webhook_secrets(settings)[0]
        try:
            async with AsyncTestClient(app=create_app(container, settings)) as client:
                for number, stripe_type in enumerate(LONG_TYPES):
                    obj = {"object": "cash_balance"} if "cash_balance" in stripe_type else {"id": f"obj_{number}"}
                    event = {"id": f"evt_{number}", "created": int(time.time()), "type": stripe_type}
                    body = json.dumps(event | {"data": {"object": obj}}).encode()
                    headers = {"Stripe-Signature": sign(body, secret, int(time.time()))}
                    for _ in range(2):  # the provider retries: still one entry
                        answer = await client.post("/api/payments/webhook", content=body, headers=headers)
                        assert answer.status_code == 200, answer.text
                # The balance (no id) is handled: the open processor fees are asked for (none here).
                event = {"id": "evt_balance", "created": int(time.time()), "type": "balance.available"}
                body = json.dumps(event | {"data": {"object": {"object": "balance", "available": []}}}).encode()
                headers = {"Stripe-Signature": sign(body, secret, int(time.time()))}
                assert (await client.post("/api/payments/webhook", content=body, headers=headers)).status_code == 200
            await drain(container, rounds=5)
            async with container() as scope:
                inbox = billing_inbox.c
                query = select(inbox.type, inbox.outcome).order_by(inbox.provider_event_id)
                stored = (await (await scope.get(AsyncSession)).execute(query)).all()
        finally:
            await container.close()
    assert [tuple(row) for row in stored] == [
        (f"stripe.{stripe_type}", "ignored: type not handled") for stripe_type in LONG_TYPES
    ] + [("balance.available", "fees settled: 0")]
