"""A payout run for every developer: 10,000 publishers over 1,000,000 sale lines (PostgreSQL).

Seeds the ledger directly (COPY, not the use cases): 1,000,000 sales of one extension line each
(``sale:<order>``: clearing, revenue and the publisher's share at the default 30 % commission),
spread over 1 October to 6 December 2026, so the sales of the last 30 days are still pending.
Then runs one period through devforge's own ``RunPayouts`` (the SQL repositories, the payees'
balances summed by the database, the embedded sandbox's transfers writing to the same database)
with every publisher's account enabled except one in twenty, a quarter of them with 24 %
withheld. Reports the run's wall time (one process; PostgreSQL has the other core), in two
passes that time its phases apart: first with the provider down (every balance read, decided,
recorded and posted; nothing sent: each payout stays pending), then with the sandbox answering
(every pending transfer sent and marked), which is also what a run resumed after an outage
does. Then checks: one transfer per paid publisher, every paid publisher's
available balance zero, the ledger balanced.

    .venv/bin/python bench/payouts.py [--developers 10000] [--lines 1000000]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench_payouts] [--skip-seed]

The database is dropped and recreated unless ``--skip-seed`` (its name must contain "bench").
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import asyncpg
from dishka import AsyncContainer, Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.statements import bench_settings, copy_ledger, publisher_ids, recreate

from devforge.adapters.payments.sandbox_payout_transfers import SandboxPayoutTransfers
from devforge.application.billing.extension_sellers import ExtensionSellers, Seller
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.payout_ports import (
    OnboardingState,
    PayeeAccount,
    PayeeAccounts,
    PayeeTax,
    PayeeTaxStatus,
)
from devforge.application.billing.payout_run_ports import (
    PayeeBalances,
    PayoutPolicy,
    PayoutTransfers,
    ProviderTransfer,
    TransferRequest,
)
from devforge.application.billing.run_payouts import RunPayouts
from devforge.application.common.clock import Clock
from devforge.bootstrap.container import make_container, memory_providers, sql_providers
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.providers.payouts import PayoutRunProvider
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import CLEARING, REVENUE, Account
from devforge.domain.billing.ledger_postings import transaction_id

EUR = Currency("EUR")
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench_payouts"
NOW = datetime(2026, 12, 7, 6, tzinfo=UTC)
FIRST = datetime(2026, 10, 1, tzinfo=UTC)
BATCH = 50_000
RESET = (
    "SET LOCAL session_replication_role = replica",  # past the ledger's append-only guard: a bench database
    "DELETE FROM billing_payouts",
    "DELETE FROM billing_payout_skips",
    "DELETE FROM billing_payout_runs",
    "DELETE FROM payment_sandbox_transfers",
    "DELETE FROM billing_ledger_entries WHERE transaction_id IN "
    "(SELECT id FROM billing_ledger_transactions WHERE idempotency_id LIKE 'payout%')",
    "DELETE FROM billing_ledger_transactions WHERE idempotency_id LIKE 'payout%'",
)


class Payees(PayeeAccounts, PayeeTaxStatus):
    """Every publisher onboarded but one in twenty; a quarter with 24 % withheld."""

    async def account(self, publisher_id: UUID) -> PayeeAccount | None:
        if publisher_id.int % 20 == 0:
            return None
        return PayeeAccount(publisher_id, f"acct_bench_{publisher_id.int}", OnboardingState.ENABLED)

    async def status(self, publisher_id: UUID) -> PayeeTax:
        return PayeeTax(True, 2400 if publisher_id.int % 4 == 0 else 0)


class Sellers:
    async def seller(self, publisher_id: UUID) -> Seller | None:
        return Seller(publisher_id, f"Publisher {publisher_id.int}", uuid4(), True)


class FixedClock:
    def now(self) -> datetime:
        return NOW


class Switchable:
    """The sandbox's transfers, or (``down``) a provider that never answers: the first pass of
    the run then records and posts every payout and sends none, which times the two phases apart."""

    def __init__(self, sandbox: SandboxPayoutTransfers) -> None:
        self.sandbox, self.down = sandbox, False

    async def create(self, request: TransferRequest) -> ProviderTransfer:
        if self.down:
            raise PaymentProviderUnavailable("the bench's provider is down for this pass")
        return await self.sandbox.create(request)

    async def get(self, transfer_id: str) -> ProviderTransfer | None:
        return await self.sandbox.get(transfer_id)

    async def reverse(self, transfer_id: str, idempotency_key: str) -> ProviderTransfer:
        return await self.sandbox.reverse(transfer_id, idempotency_key)


class BenchProvider(Provider):
    scope = Scope.APP

    @provide
    def payees(self) -> Payees:
        return Payees()

    @provide
    def accounts(self, payees: Payees) -> PayeeAccounts:
        return payees

    @provide
    def tax(self, payees: Payees) -> PayeeTaxStatus:
        return payees

    @provide(scope=Scope.REQUEST)
    def sellers(self) -> ExtensionSellers:
        return Sellers()  # type: ignore[return-value]  # the run asks only for ``seller``

    @provide
    def clock(self) -> Clock:
        return FixedClock()

    @provide
    def switchable(self, maker: async_sessionmaker[AsyncSession]) -> Switchable:
        """The embedded sandbox's transfers, writing to the same database."""
        return Switchable(SandboxPayoutTransfers(maker, now=FixedClock().now))

    @provide
    def transfers(self, switchable: Switchable) -> PayoutTransfers:
        return switchable


async def seed(url: str, developers: int, lines: int) -> None:
    parts = urlsplit(url.replace("+asyncpg", ""))
    connection = await asyncpg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, database=parts.path.lstrip("/")
    )
    rng, started = random.Random(14), time.monotonic()
    publishers = [Account.seller_payable(p).code for p in publisher_ids(developers)]
    span = int((NOW - timedelta(days=1) - FIRST).total_seconds())
    try:
        for start in range(0, lines, BATCH):
            transactions, entries = [], []
            for index in range(start, min(lines, start + BATCH)):
                order = uuid4()
                key = f"sale:{order}"
                tid = transaction_id(key)
                at = FIRST + timedelta(seconds=rng.randrange(span))
                net = rng.randrange(300, 3000)
                share = net * 7000 // 10_000
                transactions.append((tid, key, "EUR", f"Sale, order {order}", at, None))
                entries.append((tid, 0, "EUR", CLEARING.code, net))
                entries.append((tid, 1, "EUR", REVENUE.code, -(net - share)))
                entries.append((tid, 2, "EUR", publishers[index % developers], -share))
            await copy_ledger(connection, transactions, entries)
            print(f"seeded {start + len(transactions):,}/{lines:,} sale lines ({time.monotonic() - started:.0f} s)")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def reset(url: str) -> None:
    """With ``--skip-seed``: the run's traces gone (its payouts, skips, transfers and postings),
    the sales kept, so the same run can be measured again."""
    parts = urlsplit(url.replace("+asyncpg", ""))
    connection = await asyncpg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, database=parts.path.lstrip("/")
    )
    try:
        async with connection.transaction():
            for statement in RESET:
                await connection.execute(statement)
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def run(url: str, developers: int) -> None:
    settings = bench_settings(url)
    container = make_container(
        settings, *sql_providers(), BenchProvider(), PayoutRunProvider(), base=memory_providers()
    )
    try:
        switchable = await container.get(Switchable)
        run_id = f"{NOW.year}-{NOW.month:02d}"
        switchable.down, started = True, time.monotonic()
        async with container() as scope:
            decided = await (await scope.get(RunPayouts))(run_id)
        deciding = time.monotonic() - started
        switchable.down, started = False, time.monotonic()
        async with container() as scope:
            report = await (await scope.get(RunPayouts))(run_id)
        sending = time.monotonic() - started
        assert decided.still_pending == decided.paid and report.finished, (decided, report)
        total = deciding + sending
        print(
            f"payout run {run_id}: {developers:,} publishers, {decided.paid:,} paid, {decided.skipped:,} skipped, "
            f"in {total:.1f} s ({decided.paid / total:,.0f} payouts/s): balances read, decided, recorded and posted "
            f"in {deciding:.1f} s (the provider down: nothing sent), then {report.sent:,} transfers sent and marked "
            f"in {sending:.1f} s"
        )
        await check(container, url, decided.paid)
    finally:
        await container.close()


async def check(container: AsyncContainer, url: str, paid: int) -> None:
    async with container() as scope:
        policy = await scope.get(PayoutPolicy)
        balances = await (await scope.get(PayeeBalances)).all(now=NOW, hold=policy.hold)
        ledger = await (await scope.get(LedgerRepository)).balances(EUR)
    paid_out = [b for b in balances if b.publisher_id.int % 20 != 0]
    assert all(b.balance.available.is_zero for b in paid_out), "a paid publisher kept an available balance"
    assert sum(m.amount_minor for m in ledger.values()) == 0, "the ledger does not balance"
    parts = urlsplit(url.replace("+asyncpg", ""))
    connection = await asyncpg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, database=parts.path.lstrip("/")
    )
    try:
        transfers = await connection.fetchval("SELECT count(DISTINCT destination) FROM payment_sandbox_transfers")
        total = await connection.fetchval("SELECT count(*) FROM payment_sandbox_transfers")
    finally:
        await connection.close()
    assert transfers == total == paid, (transfers, total, paid)
    print(f"checked: {total:,} transfers, one per paid publisher; paid balances zero; the ledger balances")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--developers", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    if not args.skip_seed:
        recreate(args.database_url)
        migrate(bench_settings(args.database_url))
        asyncio.run(seed(args.database_url, args.developers, args.lines))
    else:
        asyncio.run(reset(args.database_url))
    asyncio.run(run(args.database_url, args.developers))


if __name__ == "__main__":
    main()
