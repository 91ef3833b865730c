"""Statement generation for every developer: 10,000 publishers over 1,000,000 sale lines.

Seeds a PostgreSQL database directly (COPY, not the use cases: a million checkouts would take
hours): one paid order per sale line, each one extension line of one publisher at the default
commission, with its ledger sale (``ledger_postings.sale``, the real posting), spread over
November 2026, and one payout per publisher (a quarter of them with tax withheld) on 28
November. Then builds every publisher's November statement through devforge's own
``Statements.build`` (the ledger read port, the orders behind the sales, the domain builder) and
its CSV, in ``--workers`` processes (2: the machine's cores), and reports the wall time. PDFs are
typeset for a sample and the time per PDF given. Checks a sample of statements against the
ledger's balances (closing = the seller's account after the month).

    .venv/bin/python bench/statements.py [--developers 10000] [--lines 1000000] [--workers 2]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench_statements]
        [--skip-seed] [--pdf-sample 200]

The database is dropped and recreated unless ``--skip-seed`` (its name must contain "bench").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import asyncpg

from devforge.adapters.persistence.billing import _order_row
from devforge.adapters.persistence.tables.billing import billing_orders
from devforge.adapters.persistence.tables.billing_documents import billing_ledger_entries, billing_ledger_transactions
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.statement_csv import statement_csv
from devforge.application.billing.statement_ports import StatementRenderer
from devforge.application.billing.statements import Statements
from devforge.bootstrap.container import make_container, memory_providers, sql_providers
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.loading import settings_from
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account
from devforge.domain.billing.money import Money
from devforge.domain.billing.order import Order, OrderLine, OrderStatus
from devforge.domain.billing.seller_shares import sale_shares, seller_line
from devforge.domain.billing.statement import StatementMonth
from devforge.domain.billing.tax import tax_from_gross

EUR = Currency("EUR")
MONTH = StatementMonth(2026, 11)
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_bench_statements"
BATCH = 20_000


def publisher_ids(count: int) -> list[UUID]:
    return [UUID(int=index + 1) for index in range(count)]


def bench_settings(url: str) -> Settings:
    return settings_from(
        {
            "secret_key": "bench-secret-key-with-enough-length-0123456789",
            "database_url": url,
            "data_dir": tempfile.gettempdir(),
        }
    )


def recreate(url: str) -> None:
    parts = urlsplit(url.replace("+asyncpg", ""))
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", name):
        sys.exit(f"refusing to drop database {name!r}: only a database named *bench* is recreated")

    async def run() -> None:
        connection = await asyncpg.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username, database="postgres"
        )
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(run())


def a_sale(publisher: UUID, at: datetime, rng: random.Random) -> tuple[dict[str, object], list[tuple[object, ...]]]:
    gross = Money(rng.randrange(500, 5000), EUR)
    amounts = tax_from_gross(gross, 1900)
    line = OrderLine(
        "ext-" + publisher.hex,
        f"Extension {publisher.int}",
        None,
        BillingInterval.ONE_TIME,
        gross,
        1,
        amounts,
        seller_id=publisher,
        commission_bp=3000,
    )
    order = Order(
        id=uuid4(),
        user_id=uuid4(),
        email="buyer@example.com",
        currency=EUR,
        lines=(line,),
        total=amounts,
        prices_include_tax=True,
        tax_country="DE",
        tax_region=None,
        vat_id=None,
        reverse_charge=False,
        tax_quote_id="bench",
        created_at=at,
        updated_at=at,
        status=OrderStatus.PAID,
        payment_id="pi_bench",
        paid_at=at,
    )
    split = seller_line(amounts, publisher, 3000)
    sale = ledger_postings.sale(order.id, amounts, at, sale_shares([split]))
    return _order_row(order), ledger_rows(sale)


def ledger_rows(transaction: ledger_postings.LedgerTransaction) -> list[tuple[object, ...]]:
    head = (
        transaction.id,
        transaction.idempotency_id,
        EUR.code,
        transaction.description,
        transaction.occurred_at,
        None,
    )
    return [
        head,
        *[
            (transaction.id, position, EUR.code, e.account.code, e.amount.amount_minor)
            for position, e in enumerate(transaction.entries)
        ],
    ]


async def seed(url: str, developers: int, lines: int) -> None:
    parts = urlsplit(url.replace("+asyncpg", ""))
    connection = await asyncpg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, database=parts.path.lstrip("/")
    )
    order_columns = [column.name for column in billing_orders.c]
    rng, started = random.Random(14), time.monotonic()
    publishers = publisher_ids(developers)
    seconds = int((MONTH.end - MONTH.start).total_seconds()) - 4 * 86400  # sales before the payouts of the 28th
    try:
        for start in range(0, lines, BATCH):
            orders, transactions, entries = [], [], []
            for index in range(start, min(lines, start + BATCH)):
                at = MONTH.start + timedelta(seconds=rng.randrange(seconds))
                row, rows = a_sale(publishers[index % developers], at, rng)
                row["lines"] = json.dumps(row["lines"])
                orders.append(tuple(row[name] for name in order_columns))
                transactions.append(rows[0])
                entries.extend(rows[1:])
            await connection.copy_records_to_table("billing_orders", records=orders, columns=order_columns)
            await copy_ledger(connection, transactions, entries)
            print(
                f"seeded {start + len(orders):,}/{lines:,} sale lines ({time.monotonic() - started:.0f} s)", flush=True
            )
        transactions, entries = [], []
        for index, publisher in enumerate(publishers):
            withheld = Money(240, EUR) if index % 4 == 0 else None
            payout = ledger_postings.payout(
                f"2026-11:{publisher}:EUR",
                publisher,
                Money(1000, EUR),
                datetime(2026, 11, 28, tzinfo=UTC),
                withheld=withheld,
            )
            rows = ledger_rows(payout)
            transactions.append(rows[0])
            entries.extend(rows[1:])
        await copy_ledger(connection, transactions, entries)
        await connection.execute("ANALYZE")
        print(f"seeded {developers:,} payouts; done in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        await connection.close()


async def copy_ledger(
    connection: asyncpg.Connection, transactions: list[tuple[object, ...]], entries: list[tuple[object, ...]]
) -> None:
    await connection.copy_records_to_table(
        "billing_ledger_transactions", records=transactions, columns=[c.name for c in billing_ledger_transactions.c]
    )
    await connection.copy_records_to_table(
        "billing_ledger_entries", records=entries, columns=[c.name for c in billing_ledger_entries.c]
    )


async def statements_of(url: str, publishers: list[UUID]) -> tuple[int, int, float, float]:
    """Builds each publisher's statement and CSV; answers (statements, lines, seconds it took
    once the process was up, CPU seconds of the process meanwhile)."""
    container = make_container(bench_settings(url), *sql_providers(), base=memory_providers())
    made = lines = 0
    started, cpu = time.monotonic(), time.process_time()
    try:
        for start in range(0, len(publishers), 50):
            async with container() as scope:
                statements = await scope.get(Statements)
                for publisher in publishers[start : start + 50]:
                    statement = await statements.build(publisher, EUR, MONTH)
                    statement_csv(statement)
                    made, lines = made + 1, lines + len(statement.lines)
    finally:
        await container.close()
    return made, lines, time.monotonic() - started, time.process_time() - cpu


def worker(arguments: tuple[str, list[UUID]]) -> tuple[int, int, float, float]:
    return asyncio.run(statements_of(*arguments))


async def check_and_pdf(url: str, publishers: list[UUID], sample: int) -> float:
    """Checks a sample against the ledger's balances; answers seconds per PDF."""
    container = make_container(bench_settings(url), *sql_providers(), base=memory_providers())
    try:
        async with container() as scope:
            balances = await (await scope.get(LedgerRepository)).balances(EUR)
            statements, renderer = await scope.get(Statements), await scope.get(StatementRenderer)
            chosen = random.Random(7).sample(publishers, min(sample, len(publishers)))
            started = time.monotonic()
            for publisher in chosen:
                statement = await statements.build(publisher, EUR, MONTH)
                assert statement.closing == -balances[Account.seller_payable(publisher)], publisher
                assert statement.opening.is_zero and len(statement.lines) >= 2
                renderer.render_statement(statement, f"Publisher {publisher.int}")
            return (time.monotonic() - started) / max(1, len(chosen))
    finally:
        await container.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--developers", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--pdf-sample", type=int, default=200)
    args = parser.parse_args()
    if not args.skip_seed:
        recreate(args.database_url)
        migrate(bench_settings(args.database_url))
        asyncio.run(seed(args.database_url, args.developers, args.lines))
    publishers = publisher_ids(args.developers)
    shares = [(args.database_url, publishers[index :: args.workers]) for index in range(args.workers)]
    started = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        done = pool.map(worker, shares)
    elapsed = time.monotonic() - started
    made, lines, busiest = sum(d[0] for d in done), sum(d[1] for d in done), max(d[2] for d in done)
    cpu = sum(d[3] for d in done)
    per_pdf = asyncio.run(check_and_pdf(args.database_url, publishers, args.pdf_sample))
    print(
        f"{made:,} statements ({lines:,} lines) with their CSV in {elapsed:.1f} s on {args.workers} workers, "
        f"{busiest:.1f} s of it building once the workers were up ({made / busiest:,.0f} statements/s), "
        f"{cpu:.1f} CPU s in the workers ({cpu / made * 1000:.1f} ms a statement; PostgreSQL's own apart); a sample of "
        f"{args.pdf_sample} checked against the ledger's balances; "
        f"PDF {per_pdf * 1000:.0f} ms each (statement included, one process)"
    )


if __name__ == "__main__":
    main()
