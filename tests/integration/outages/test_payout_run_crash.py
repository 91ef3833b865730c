"""Issue 14's crash drill for payout runs: a production worker (PostgreSQL, Stripe as the
provider: the local fake, each transfer held a moment so the run is mid-way) starts the month's
run on its own, is killed with ``kill -9`` once some transfers are made, and a second worker
finishes the run. Every developer is paid exactly once: one transfer per destination at the
fake, of the right amount (24 % backup withholding for the W-9s without a TIN), every payout
sent, the ledger balanced. The dead worker's transfer that was in flight is the one the restart
asks for again with the same idempotency key, and Stripe answers the transfer it made."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from devforge.adapters.persistence.billing_documents import SqlaLedgerRepository
from devforge.adapters.persistence.payout_accounts import SqlaPayoutAccountRepository
from devforge.adapters.persistence.tax_profiles import SqlaTaxProfileRepository
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout import run_id_for
from devforge.domain.billing.payout_account import AccountFacts, PayoutAccount
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.tax_profile import UsEntityType, w9
from tests.fakes.servers import private_redis
from tests.fakes.stripe_server import running_stripe
from tests.integration.backends import postgres_database
from tests.integration.outages.worker_drill import Relay, eventually, worker

pytestmark = [
    pytest.mark.xdist_group("worker-crash-drill"),
    pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning"),
]
USD = Currency("USD")
PAYEES = 24
STRIPE_KEY = "sk_test_devforge_payout_drill"


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


def share(index: int) -> int:
    return 20_000 + 137 * index


async def seed(url: str) -> dict[str, int]:
    """Each payee: two old sales (past the hold), an enabled connected account, a W-9 (every
    third one without a TIN: 24 % withheld). Answers what each destination must receive."""
    engine = create_async_engine(url, poolclass=NullPool)
    expected: dict[str, int] = {}
    old = datetime.now(UTC) - timedelta(days=45)
    try:
        async with engine.connect() as connection, AsyncSession(bind=connection) as session:
            ledger, accounts = SqlaLedgerRepository(session), SqlaPayoutAccountRepository(session)
            profiles = SqlaTaxProfileRepository(session)
            for index in range(PAYEES):
                publisher = UUID(int=index + 1)
                for half in (share(index) // 2, share(index) - share(index) // 2):
                    amounts = TaxedAmount.of(Money(2 * half, USD), Money.zero(USD))
                    await ledger.post(ledger_postings.sale(uuid4(), amounts, old, {publisher: Money(half, USD)}))
                account_id = f"acct_drill_{index:03d}"
                facts = AccountFacts(old, details_submitted=True, payouts_enabled=True)
                await accounts.add(PayoutAccount(uuid4(), publisher, "stripe", account_id, "US", old, facts))
                profile = w9(
                    publisher,
                    legal_name=f"Developer {index}",
                    entity_type=UsEntityType.INDIVIDUAL,
                    tin=None,
                    sealed_tin=None,
                    address="1 Main St, Springfield, IL 62701",
                    signer_name=f"Developer {index}",
                    at=old,
                )
                await profiles.save(profile)
                withheld = share(index) * 2400 // 10_000
                expected[account_id] = share(index) - withheld
            await session.commit()
    finally:
        await engine.dispose()
    return expected


async def payouts(url: str) -> dict[str, int]:
    """How many payouts are in each status, and whether the run has finished."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT status, count(*) FROM billing_payouts GROUP BY status"))
            counts = {status: int(count) for status, count in rows}
            finished = await connection.execute(
                text("SELECT count(*) FROM billing_payout_runs WHERE finished_at IS NOT NULL")
            )
            total = await connection.execute(text("SELECT coalesce(sum(amount), 0) FROM billing_ledger_entries"))
            return counts | {"finished": int(finished.scalar_one()), "ledger_sum": int(total.scalar_one())}
    finally:
        await engine.dispose()


async def test_a_payout_run_killed_mid_way_and_run_again_pays_every_developer_exactly_once(
    database: str, tmp_path: Path
) -> None:
    expected = await seed(database)
    with running_stripe(STRIPE_KEY) as stripe, private_redis() as redis, Relay().running() as relay:
        stripe.delay_next = [0.4] * 400  # each call held a moment: the run is mid-way when it dies
        provider = {
            "payment_provider": "stripe",
            "stripe_api_key": STRIPE_KEY,
            "stripe_api_base": stripe.base_url,
            "webhook_secrets": "whsec_test_payout_drill",
        }
        with worker(database, redis.url, relay, tmp_path, "first", **provider) as first:
            await eventually(lambda: len(stripe.transfers) >= 6, 120, "six transfers made")
            first.process.kill()  # SIGKILL: no chance to mark anything sent
            first.process.wait()
        made = len(stripe.transfers)
        assert 6 <= made < PAYEES, made
        interrupted = await payouts(database)
        assert interrupted["finished"] == 0 and interrupted.get("pending", 0) > 0, interrupted

        stripe.delay_next = []
        with worker(database, redis.url, relay, tmp_path, "second", **provider) as second:
            await eventually(lambda: _finished(database), 120, "the run to finish")
            assert second.alive()

        per_destination = Counter(t["destination"] for t in stripe.transfers.values())
        assert per_destination == Counter({account: 1 for account in expected}), per_destination
        assert {t["destination"]: t["amount"] for t in stripe.transfers.values()} == expected
        posted = [r for r in stripe.requests if (r.method, r.path) == ("POST", "/v1/transfers")]
        run_id = run_id_for(datetime.now(UTC).date())
        assert {r.idempotency_key for r in posted} == {f"payout-{run_id}:{UUID(int=i + 1)}:USD" for i in range(PAYEES)}
        assert len(posted) >= PAYEES  # the restart asks again for whatever it could not know was made
    done = await payouts(database)
    assert (done.get("sent"), done.get("pending", 0), done["finished"], done["ledger_sum"]) == (PAYEES, 0, 1, 0)


async def _finished(url: str) -> bool:
    try:
        return (await payouts(url))["finished"] == 1
    except Exception:
        return False
