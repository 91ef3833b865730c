"""Payout runs against the local Stripe fake with Connect endpoints (the embedded profile with
Stripe as the provider: SQLite, the test running the worker's jobs). The payee's account and tax
status are fakes here (the payout accounts and tax profiles have their own tests).

Sales sit in the ledger; a run transfers each payee's available balance with an idempotency key
derived from the run, the payee and the currency, in the run's transfer group; repeating the
run, or sending the same payout again, makes no second transfer. Payees the run cannot pay are
skipped with their reasons. Stripe's signed ``transfer.reversed`` (the platform reversed one)
and ``payout.failed`` (the connected account's bank refused the money: our side reverses the
transfer) each put the money back in the payee's balance, once, however often Stripe repeats
itself, and the ledger still balances."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Litestar
from litestar.testing import AsyncTestClient

from devforge.application.billing.extension_sellers import ExtensionSellers, Seller
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payout_ports import PayeeAccounts, PayeeTaxStatus
from devforge.application.billing.payout_run_ports import PayeeBalances, PayoutPolicy, PayoutReader, PayoutRepository
from devforge.application.billing.run_payouts import PayoutRunReport, RunPayouts
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payouts import PayoutRunProvider
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance
from devforge.domain.billing.ledger import CLEARING, TAX_WITHHELD, Account
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout import PayoutStatus, SkipReason, run_id_for
from devforge.domain.billing.tax import TaxedAmount
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.fakes.extension_sellers import FakeExtensionSellers
from tests.fakes.payees import FakePayeeAccounts, FakePayeeTaxStatus
from tests.fakes.stripe_server import FakeStripe, running_stripe
from tests.integration.billing.test_stripe_purchase_flow import deliver, work

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")
WEBHOOK_SECRET = "whsec_test_devforge_stripe_flow"
STRIPE_KEY = "sk_test_devforge_payouts"
USD = Currency("USD")


class Payees(Provider):
    """The payee's side as fakes; the run itself as the application wires it."""

    def __init__(self, accounts: FakePayeeAccounts, tax: FakePayeeTaxStatus, sellers: FakeExtensionSellers) -> None:
        super().__init__(scope=Scope.APP)
        self._accounts, self._tax, self._sellers = accounts, tax, sellers

    @provide
    def accounts(self) -> PayeeAccounts:
        return self._accounts

    @provide
    def tax(self) -> PayeeTaxStatus:
        return self._tax

    @provide(scope=Scope.REQUEST)
    def sellers(self) -> ExtensionSellers:
        return self._sellers


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    with running_stripe(STRIPE_KEY) as fake:
        yield fake


async def test_transfers_reversals_and_failed_payouts_against_stripe_end_in_the_right_balances(
    tmp_path: Path, stripe: FakeStripe
) -> None:
    settings = settings_for_tests(
        profile="embedded",
        data_dir=str(tmp_path),
        payment_provider="stripe",
        stripe_api_key=STRIPE_KEY,
        stripe_api_base=stripe.base_url,
        webhook_secrets=[WEBHOOK_SECRET],
    )
    await asyncio.to_thread(migrate, settings)
    accounts, tax, sellers = FakePayeeAccounts(), FakePayeeTaxStatus(), FakeExtensionSellers()
    container = make_container(settings, PayoutRunProvider(), Payees(accounts, tax, sellers))
    try:
        async with AsyncTestClient(app=create_app(container, settings)) as client:
            await _the_flow(client, container, stripe, accounts, tax, sellers)
    finally:
        await container.close()


async def _the_flow(
    client: AsyncTestClient[Litestar],
    container: AsyncContainer,
    stripe: FakeStripe,
    accounts: FakePayeeAccounts,
    tax: FakePayeeTaxStatus,
    sellers: FakeExtensionSellers,
) -> None:
    def payee(*, enabled: bool = True, withholding_bp: int = 0) -> UUID:
        publisher = uuid4()
        sellers.sellers[publisher] = Seller(publisher, "pub", uuid4(), True)
        if enabled:
            accounts.enable(publisher)
        tax.file(publisher, withholding_bp)
        return publisher

    alpha, beta, gamma = payee(), payee(withholding_bp=2_400), payee()
    unonboarded, small = payee(enabled=False), payee()
    old = datetime.now(UTC) - timedelta(days=45)
    for publisher, share in ((alpha, 30_000), (beta, 25_001), (gamma, 12_000), (unonboarded, 40_000), (small, 900)):
        await _post(container, _sale(publisher, share, old))
    before = {p: await _balance(container, p) for p in (alpha, beta, gamma)}

    # The run: one transfer per payee, each with its key, in the run's group; the others skipped.
    run_id = run_id_for(datetime.now(UTC).date())
    report = await _run(client, container, run_id)
    assert (report.paid, report.skipped, report.sent, report.finished) == (3, 2, 3, True)
    created = [r for r in stripe.requests if (r.method, r.path) == ("POST", "/v1/transfers")]
    assert sorted(r.idempotency_key or "" for r in created) == sorted(
        f"payout-{run_id}:{p}:USD" for p in (alpha, beta, gamma)
    )
    assert {r.params["transfer_group"] for r in created} == {f"payout-run-{run_id}"}
    destination = {p: accounts.accounts[p].provider_account_id for p in (alpha, beta, gamma)}
    amounts = {p: [t["amount"] for t in stripe.transfers_to(destination[p])] for p in (alpha, beta, gamma)}
    assert amounts == {alpha: [30_000], beta: [25_001 - 6_000], gamma: [12_000]}  # 24% of 25,001 floored: 6,000
    assert await _skips(container, run_id) == {
        unonboarded: SkipReason.ACCOUNT_NOT_ENABLED,
        small: SkipReason.BELOW_MINIMUM,
    }
    for paid in (alpha, beta, gamma):
        assert (await _balance(container, paid)).total.is_zero
    assert await _ledger(container, TAX_WITHHELD) == -6_000

    # The same period again, and the same payout's key sent again: Stripe makes nothing new.
    again = await _run(client, container, run_id)
    assert (again.paid, again.sent) == (0, 0)
    assert len(stripe.transfers) == 3

    # The platform reverses alpha's transfer at Stripe: transfer.reversed, delivered twice.
    [alpha_transfer] = stripe.transfers_to(destination[alpha])
    reversed_event = stripe.reverse_transfer(alpha_transfer["id"])
    assert await deliver(client, [reversed_event, reversed_event]) == [True, False]
    work(client, container)
    assert await _balance(container, alpha) == before[alpha]
    assert (await _payout(container, alpha, run_id)).return_reason == "transfer_reversed"

    # beta's bank refuses the payout: payout.failed on beta's account. We reverse the transfer (so
    # the money is the platform's again), and Stripe's transfer.reversed for it changes nothing more.
    failed = stripe.fail_payout(destination[beta], 19_001, "usd")
    assert failed["account"] == destination[beta]
    assert await deliver(client, [failed]) == [True]
    work(client, container)
    [beta_transfer] = stripe.transfers_to(destination[beta])
    assert beta_transfer["reversed"] is True
    reversals = [r for r in stripe.requests if r.path == f"/v1/transfers/{beta_transfer['id']}/reversals"]
    assert [r.idempotency_key for r in reversals] == [f"reverse-{run_id}:{beta}:USD"]
    assert await deliver(client, [stripe.events[-1]]) == [True]  # the reversal's own transfer.reversed
    work(client, container)
    assert await _balance(container, beta) == before[beta]
    assert await _ledger(container, TAX_WITHHELD) == 0
    assert (await _payout(container, beta, run_id)).return_reason == "payout_failed"

    # gamma was paid and stays paid; the ledger balances; what clearing lost is gamma's transfer.
    assert (await _payout(container, gamma, run_id)).status is PayoutStatus.SENT
    sold = 2 * (30_000 + 25_001 + 12_000 + 40_000 + 900)
    assert await _ledger(container, CLEARING) == sold - 12_000
    async with container() as scope:
        assert sum(m.amount_minor for m in (await (await scope.get(LedgerRepository)).balances(USD)).values()) == 0


def _sale(publisher: UUID, share: int, at: datetime) -> Any:
    amounts = TaxedAmount.of(Money(share * 2, USD), Money.zero(USD))
    return ledger_postings.sale(uuid4(), amounts, at, {publisher: Money(share, USD)})


async def _post(container: AsyncContainer, transaction: Any) -> None:
    async with container() as scope:
        await (await scope.get(LedgerRepository)).post(transaction)
        await (await scope.get(UnitOfWork)).commit()


async def _run(client: AsyncTestClient[Litestar], container: AsyncContainer, run_id: str) -> PayoutRunReport:
    """The run on the app's loop: the Stripe adapter's HTTP client is the app's."""

    async def run() -> PayoutRunReport:
        async with container() as scope:
            return await (await scope.get(RunPayouts))(run_id)

    return client.blocking_portal.call(run)


async def _balance(container: AsyncContainer, publisher: UUID) -> EarningsBalance:
    async with container() as scope:
        policy = await scope.get(PayoutPolicy)
        found = await (await scope.get(PayeeBalances)).of(publisher, USD, now=datetime.now(UTC), hold=policy.hold)
    return found.balance


async def _ledger(container: AsyncContainer, account: Account) -> int:
    async with container() as scope:
        balances = await (await scope.get(LedgerRepository)).balances(USD)
    return balances.get(account, Money.zero(USD)).amount_minor


async def _skips(container: AsyncContainer, run_id: str) -> dict[UUID, SkipReason]:
    reader = await container.get(PayoutReader)
    found = {}
    for publisher in list(await _decided(container, run_id)):
        skipped = await reader.skipped(publisher, limit=5)
        if skipped:
            found[publisher] = skipped[0].reason
    return found


async def _decided(container: AsyncContainer, run_id: str) -> set[UUID]:
    async with container() as scope:
        return {p for p, _ in await (await scope.get(PayoutRepository)).decided(run_id)}


async def _payout(container: AsyncContainer, publisher: UUID, run_id: str) -> Any:
    async with container() as scope:
        found = await (await scope.get(PayoutRepository)).get(f"{run_id}:{publisher}:USD")
    assert found is not None
    return found
