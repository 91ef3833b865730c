"""The processor's fee through the Stripe adapter against the local Stripe fake: at the sale the
ledger holds the estimate of the settings (``fee:<payment>``); the charge's balance transaction
then says what Stripe took, and the difference is posted once (``fee_true_up:<payment>``), read
when the invoice is issued, or, for an asynchronous capture, on ``charge.updated``. Delivering
the events again, and ``balance.available``, post nothing more."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient

from devforge.application.billing.fee_ports import ProcessorFeeRepository
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import PROCESSOR_FEES
from devforge.domain.billing.money import Money
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.fakes.stripe_server import FakeStripe, running_stripe
from tests.integration.billing.test_stripe_purchase_flow import STRIPE_KEY, WEBHOOK_SECRET, deliver, work
from tests.integration.http.authentication_steps import PASSWORD, bearer
from tests.integration.http.test_identity_journey import link_token
from tests.outbox_drain import drain

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")

EUR = Currency("EUR")
PRICE = 29900  # editor-perpetual in EUR, tax included
ESTIMATE = 867 + 25  # the settings' EUR rate: 2.9 % (half up) + 25 cents
STRIPE_FEE = 867 + 30  # the fake's: 2.9 % + 30


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with running_stripe(STRIPE_KEY) as fake:
        yield fake


async def fees_in_ledger(container: AsyncContainer, payment_id: str) -> tuple[int | None, int | None, int]:
    """The estimate, the true-up (None: not posted) and the processor fees account in EUR."""
    async with container() as scope:
        ledger = await scope.get(LedgerRepository)
        estimate, true_up = await ledger.get(f"fee:{payment_id}"), await ledger.get(f"fee_true_up:{payment_id}")
        balance = (await ledger.balances(EUR)).get(PROCESSOR_FEES, Money.zero(EUR)).amount_minor

    def fee_leg(transaction: object) -> int | None:
        if transaction is None:
            return None
        return next(e.amount.amount_minor for e in transaction.entries if e.account == PROCESSOR_FEES)  # type: ignore[attr-defined]

    return fee_leg(estimate), fee_leg(true_up), balance


async def buy(
    client: AsyncTestClient[Litestar], container: AsyncContainer, stripe: FakeStripe, auth: dict[str, str]
) -> str:
    """A paid order of editor-perpetual in EUR, the events delivered and applied: its payment intent."""
    before = set(stripe.intents)
    body = {"productCode": "editor-perpetual", "currency": "EUR", "country": "DE"}
    checkout = await client.post("/api/payments/checkout", json=body, headers=auth)
    assert checkout.status_code == 201, checkout.text
    session = next(s for s in stripe.sessions.values() if s["client_reference_id"] == checkout.json()["id"])
    assert await deliver(client, stripe.complete(session["id"])) == [True, True]
    work(client, container)
    [intent] = set(stripe.intents) - before
    return intent


async def test_the_estimate_is_trued_up_once_to_the_fee_stripe_reports(tmp_path: Path, stripe: FakeStripe) -> None:
    settings = settings_for_tests(
        profile="embedded",
        data_dir=str(tmp_path),
        payment_provider="stripe",
        stripe_api_key=STRIPE_KEY,
        stripe_api_base=stripe.base_url,
        webhook_secrets=[WEBHOOK_SECRET],
    )
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    try:
        await seed_editor_plans(container)
        async with AsyncTestClient(app=create_app(container, settings)) as client:
            mail = tmp_path / "mail"
            await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
            await drain(container)
            await client.post("/api/auth/verify-email", json={"token": link_token(mail, "Welcome")})
            login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
            auth = bearer(login.json()["accessToken"])

            # Captured at once: the invoice's turn finds the balance transaction and trues up.
            paid = await buy(client, container, stripe, auth)
            assert await fees_in_ledger(container, paid) == (ESTIMATE, STRIPE_FEE - ESTIMATE, STRIPE_FEE)
            assert any(
                r.path == "/v1/payment_intents/" + paid and "latest_charge.balance_transaction" in str(r.params)
                for r in stripe.requests
            )

            # Captured later: only the estimate until charge.updated, then the true-up, once.
            stripe.async_capture = True
            later = await buy(client, container, stripe, auth)
            assert await fees_in_ledger(container, later) == (ESTIMATE, None, STRIPE_FEE + ESTIMATE)
            stripe.fees[later] = 1000
            updated = stripe.capture_balance(later)
            assert await deliver(client, [updated, updated]) == [True, False]
            work(client, container)
            assert await fees_in_ledger(container, later) == (ESTIMATE, 1000 - ESTIMATE, STRIPE_FEE + 1000)

            # Everything again, reordered, and the balance announced: nothing more is posted.
            again = [e for e in stripe.events if e["type"] != "charge.updated"][::-1]
            await deliver(client, [*again, updated, stripe.balance_available()])
            work(client, container)
            assert await fees_in_ledger(container, paid) == (ESTIMATE, STRIPE_FEE - ESTIMATE, STRIPE_FEE + 1000)
            assert await fees_in_ledger(container, later) == (ESTIMATE, 1000 - ESTIMATE, STRIPE_FEE + 1000)
            async with container() as scope:
                fees = await scope.get(ProcessorFeeRepository)
                settled = [await fees.get(paid), await fees.get(later)]
            assert [(f.actual, f.settled) for f in settled if f] == [
                (Money(STRIPE_FEE, EUR), True),
                (Money(1000, EUR), True),
            ]
    finally:
        await container.close()
