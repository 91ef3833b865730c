"""Payout accounts against the local Stripe fake's Connect endpoints (the embedded profile with
Stripe as the provider: SQLite, the test running the worker's jobs): a publisher's owner opens
an Express account (one, however often it asks) and gets an ``account_onboarding`` link; Stripe's
signed ``account.updated`` webhooks move it to restricted, enabled and back to restricted. The
same webhooks again, or an older one after a newer one, change nothing: each is a notification,
and the account is read back from Stripe as it stands."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from dishka import Provider, Scope, provide
from litestar import Litestar
from litestar.testing import AsyncTestClient

from devforge.application.billing.extension_sellers import ExtensionSellers, Seller
from devforge.application.billing.get_payout_account import GetPayoutAccount, PayoutAccountView
from devforge.application.billing.payout_ports import OnboardingState, PayeeAccounts
from devforge.application.billing.start_payout_onboarding import (
    PayoutOnboardingLink,
    StartPayoutOnboarding,
    StartPayoutOnboardingHandler,
)
from devforge.application.common.actor import Actor
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.fakes.extension_sellers import FakeExtensionSellers
from tests.fakes.stripe_server import FakeStripe, running_stripe
from tests.integration.billing.test_stripe_purchase_flow import deliver, work

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")
WEBHOOK_SECRET = "whsec_test_devforge_stripe_flow"  # what deliver() signs with
STRIPE_KEY = "sk_test_devforge_connect"
DUE = ["individual.verification.document", "external_account"]


class Sellers(Provider):
    def __init__(self, sellers: FakeExtensionSellers) -> None:
        super().__init__(scope=Scope.REQUEST)
        self._sellers = sellers

    @provide
    def sellers(self) -> ExtensionSellers:
        return self._sellers


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with running_stripe(STRIPE_KEY) as fake:
        yield fake


def on_the_apps_loop(client: AsyncTestClient[Litestar], call: Any) -> Any:
    """Calls that reach Stripe run on the app's loop (its pooled HTTP connections do not cross loops)."""
    return client.blocking_portal.call(call)


async def test_stripe_connect_onboarding_webhooks_move_the_payout_account(tmp_path: Path, stripe: FakeStripe) -> None:
    settings = settings_for_tests(
        profile="embedded",
        data_dir=str(tmp_path),
        payment_provider="stripe",
        stripe_api_key=STRIPE_KEY,
        stripe_api_base=stripe.base_url,
        webhook_secrets=[WEBHOOK_SECRET],
    )
    await asyncio.to_thread(migrate, settings)
    sellers = FakeExtensionSellers()
    seller = Seller(uuid4(), "Acme Tools", uuid4(), verified=True)
    sellers.sellers[seller.publisher_id] = seller
    owner = Actor(seller.owner_id)
    container = make_container(settings, Sellers(sellers))

    async def start(country: str = "DE") -> PayoutOnboardingLink:
        command = StartPayoutOnboarding(seller.publisher_id, country, return_url="http://127.0.0.1:8000/payouts")
        async with container() as scope:
            return await (await scope.get(StartPayoutOnboardingHandler))(owner, command)

    async def view() -> PayoutAccountView:
        async with container() as scope:
            return await (await scope.get(GetPayoutAccount))(owner, seller.publisher_id)

    try:
        async with AsyncTestClient(app=create_app(container, settings)) as client:
            first = on_the_apps_loop(client, start)
            second = on_the_apps_loop(client, start)
            account_id = first.account.provider_account_id
            assert second.account.provider_account_id == account_id and list(stripe.accounts) == [account_id]
            opened = next(r for r in stripe.requests if r.path == "/v1/accounts")
            assert opened.params["type"] == "express" and opened.params["country"] == "DE"
            assert opened.params["capabilities"] == {"transfers": {"requested": "true"}}
            assert opened.params["metadata"] == {"publisher_id": str(seller.publisher_id)}
            assert opened.idempotency_key == f"payout-account-{seller.publisher_id}"
            links = [r.params for r in stripe.requests if r.path == "/v1/account_links"]
            assert [link["type"] for link in links] == ["account_onboarding"] * 2
            assert links[0]["return_url"] == "http://127.0.0.1:8000/payouts"
            assert first.url.startswith("https://connect.stripe.test/setup/") and first.url != second.url
            assert (await view()).state is OnboardingState.PENDING

            submitted = stripe.update_account(
                account_id,
                details_submitted=True,
                requirements={"currently_due": DUE, "past_due": DUE, "disabled_reason": "requirements.past_due"},
            )
            assert await deliver(client, [submitted]) == [True]
            work(client, container)
            restricted = await view()
            assert restricted.state is OnboardingState.RESTRICTED
            assert [(r.code, r.past_due) for r in restricted.requirements] == [(code, True) for code in DUE]

            enabled_event = stripe.update_account(
                account_id, payouts_enabled=True, requirements={"currently_due": [], "past_due": []}
            )
            assert await deliver(client, [enabled_event]) == [True]
            work(client, container)
            assert (await view()).state is OnboardingState.ENABLED
            async with container() as scope:
                payee = await (await scope.get(PayeeAccounts)).account(seller.publisher_id)
            assert payee is not None and payee.payouts_enabled and payee.provider_account_id == account_id

            # Stripe repeats itself, and an old event arrives late: nothing changes
            assert await deliver(client, [enabled_event, submitted]) == [False, False]
            replayed = dict(submitted, id="evt_replayed_late")  # the older facts under a new event id
            assert await deliver(client, [replayed]) == [True]
            work(client, container)
            assert (await view()).state is OnboardingState.ENABLED and (await view()).requirements == ()

            # Stripe needs more: back to restricted
            again = stripe.update_account(
                account_id,
                payouts_enabled=False,
                requirements={"currently_due": ["external_account"], "past_due": ["external_account"]},
            )
            assert await deliver(client, [again, enabled_event]) == [True, False]
            work(client, container)
            final = await view()
            assert final.state is OnboardingState.RESTRICTED
            assert [r.code for r in final.requirements] == ["external_account"]

            # an account.updated for an account that is not ours is stored and ignored
            stranger = dict(again, id="evt_stranger", account="acct_someone_else")
            stranger["data"] = {"object": dict(again["data"]["object"], id="acct_someone_else")}
            assert await deliver(client, [stranger]) == [True]
            work(client, container)
            assert (await view()).state is OnboardingState.RESTRICTED
    finally:
        await container.close()


def test_the_connect_fake_refuses_what_stripe_refuses(stripe: FakeStripe) -> None:
    """A link needs a known account and both URLs, as Stripe's does (so the adapter's call is checked)."""
    handle = partial(stripe.handle, headers={"Authorization": f"Bearer {STRIPE_KEY}"})
    status, _ = handle("POST", "/v1/account_links", body=b"account=acct_missing&type=account_onboarding")
    assert status == 400
    status, _ = handle("POST", "/v1/accounts", body=b"type=standard&country=DE")
    assert status == 400
