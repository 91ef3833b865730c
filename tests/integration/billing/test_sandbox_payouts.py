"""Payout runs in the embedded profile with the sandbox as the provider (SQLite, mail to a
Maildir, the test running the worker's jobs): two developers' publishers, each with an enabled
payout account and a tax profile, are paid by the run; the sandbox is told to reverse one
transfer and to fail the other account's bank payout, as a demo would. Its signed
``transfer.reversed`` and ``payout.failed`` reach our webhook through its dispatcher: each
balance is restored once, each owner gets one mail saying the payout came back, and the ledger
balances."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import httpx
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from devforge.adapters.payments.sandbox_payout_transfers import SandboxPayoutTransfers
from devforge.adapters.payments.sandbox_store import SandboxStore
from devforge.adapters.payments.sandbox_webhook_dispatcher import SandboxWebhookDispatcher
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payout_account_ports import PayoutAccountRepository
from devforge.application.billing.payout_run_ports import PayeeBalances, PayoutPolicy, PayoutRepository
from devforge.application.billing.run_payouts import RunPayouts
from devforge.application.billing.tax_profile_ports import TaxProfileRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payments import webhook_secrets, webhook_url
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout import PayoutStatus, run_id_for
from devforge.domain.billing.payout_account import AccountFacts, PayoutAccount
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_profile import UsEntityType, w9
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.http.test_purchase_journey import mail_text
from tests.integration.http.test_tax_profile_api import a_publisher
from tests.outbox_drain import drain

USD = Currency("USD")
OLD = datetime.now(UTC) - timedelta(days=45)


async def test_the_sandbox_reverses_a_transfer_and_fails_a_payout_and_each_balance_comes_back_once(
    tmp_path: Path,
) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    app = create_app(container, settings)
    try:
        async with AsyncTestClient(app=app) as client:
            _, acme = await a_publisher(client, container, "acme")
            _, globex = await a_publisher(client, container, "globex")
            accounts = {UUID(acme): await _payee(container, UUID(acme), 30_000), UUID(globex): None}
            accounts[UUID(globex)] = await _payee(container, UUID(globex), 18_000)

            run_id = run_id_for(datetime.now(UTC).date())
            async with container() as scope:
                report = await (await scope.get(RunPayouts))(run_id)
            assert (report.paid, report.sent, report.finished) == (2, 2, True)
            sandbox = await container.get(SandboxPayoutTransfers)
            acme_payout = await _payout(container, f"{run_id}:{acme}:USD")
            assert acme_payout.transfer_id is not None

            await sandbox.reverse(acme_payout.transfer_id, "demo-reversal")
            await sandbox.fail_payout(accounts[UUID(globex)], Money(18_000, USD))
            dispatcher = SandboxWebhookDispatcher(
                await container.get(SandboxStore),
                webhook_url(settings),
                webhook_secrets(settings)[0],
                transport=httpx.ASGITransport(app=app),
            )
            for _ in range(3):  # the failed payout's own reversal owes one more transfer.reversed
                await dispatcher.dispatch_due()
                await drain(container, rounds=10)

            for publisher, share in ((acme, 30_000), (globex, 18_000)):
                assert await _available(container, UUID(publisher)) == Money(share, USD)
            reasons = {(await _payout(container, f"{run_id}:{p}:USD")).return_reason: p for p in (acme, globex)}
            assert reasons == {"transfer_reversed": acme, "payout_failed": globex}
            globex_payout = await _payout(container, f"{run_id}:{globex}:USD")
            assert globex_payout.status is PayoutStatus.RETURNED and globex_payout.transfer_id is not None
            reversed_at_sandbox = await sandbox.get(globex_payout.transfer_id)
            assert reversed_at_sandbox is not None and reversed_at_sandbox.reversed

            mails = mail_text(tmp_path / "mail", "payout came back")
            assert len(mails) == 2
            assert any("transfer to your payout account was reversed" in m for m in mails)
            assert any("your bank did not accept the payout" in m for m in mails)
            async with container() as scope:
                balances = await (await scope.get(LedgerRepository)).balances(USD)
            assert sum(m.amount_minor for m in balances.values()) == 0
    finally:
        await container.close()


async def _payee(container: AsyncContainer, publisher: UUID, share: int) -> str:
    """A sale past the hold, an enabled sandbox account and a W-9 with no TIN (24 % withheld)."""
    account_id = f"acct_sandbox_{publisher.hex[:12]}"
    async with container() as scope:
        amounts = TaxedAmount.of(Money(2 * share, USD), Money.zero(USD))
        sale = ledger_postings.sale(uuid4(), amounts, OLD, {publisher: Money(share, USD)})
        await (await scope.get(LedgerRepository)).post(sale)
        facts = AccountFacts(OLD, details_submitted=True, payouts_enabled=True)
        account = PayoutAccount(uuid4(), publisher, "sandbox", account_id, "US", OLD, facts)
        await (await scope.get(PayoutAccountRepository)).add(account)
        profile = w9(
            publisher,
            legal_name="Dev",
            entity_type=UsEntityType.INDIVIDUAL,
            tin=None,
            sealed_tin=None,
            address="1 Main St",
            signer_name="Dev",
            at=OLD,
        )
        await (await scope.get(TaxProfileRepository)).save(profile)
        await (await scope.get(UnitOfWork)).commit()
    return account_id


async def _payout(container: AsyncContainer, payout_id: str):  # type: ignore[no-untyped-def]
    async with container() as scope:
        found = await (await scope.get(PayoutRepository)).get(payout_id)
    assert found is not None
    return found


async def _available(container: AsyncContainer, publisher: UUID) -> Money:
    async with container() as scope:
        policy = await scope.get(PayoutPolicy)
        found = await (await scope.get(PayeeBalances)).of(publisher, USD, now=datetime.now(UTC), hold=policy.hold)
    return found.balance.available
