"""One contract for a seller's view of the ledger (``SellerLedger``: statements and revenue) on
memory, SQLite and PostgreSQL: the balance before a moment, the transactions of a period with all
their entries, oldest first, and when the account first moved in each currency; and the orders
behind a statement, read together (``StatementOrders``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.statement_ports import SellerLedger, StatementOrders
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.billing_statements import MemoryStatementsProvider, SqlaStatementsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount
from tests.integration.backends import postgres_database, sqlite_database
from tests.unit.billing.documents import NOW
from tests.unit.billing.documents_container import documents_container
from tests.unit.billing.test_order import an_order

EUR, USD = Currency("EUR"), Currency("USD")


@pytest.fixture(params=("memory", "sqlite", "postgres"))
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    parts = (InMemoryPaidOrders(), InMemoryPaymentGateway(), ManualClock(NOW))
    if request.param == "memory":
        built = documents_container(*parts, MemoryStatementsProvider())
        yield built
        await built.close()
        return
    database = postgres_database() if request.param == "postgres" else sqlite_database(tmp_path)
    async with database as url:
        sql = (
            SqlaPersistenceProvider(),
            SqlaBillingProvider(),
            SqlaBillingDocumentsProvider(),
            SqlaStatementsProvider(),
        )
        built = documents_container(*parts, *sql, database_url=url)
        yield built
        await built.close()


async def test_a_sellers_balance_period_and_first_movements_come_from_its_account_only(
    container: AsyncContainer,
) -> None:
    seller, other = uuid4(), uuid4()
    net = TaxedAmount.of(Money(1000, EUR), Money(0, EUR))
    first = ledger_postings.sale(uuid4(), net, NOW, {seller: Money(700, EUR)})
    both = ledger_postings.sale(
        uuid4(),
        TaxedAmount.of(Money(2000, EUR), Money(0, EUR)),
        NOW + timedelta(days=10),
        {seller: Money(700, EUR), other: Money(700, EUR)},
    )
    theirs = ledger_postings.sale(
        uuid4(), TaxedAmount.of(Money(1000, EUR), Money(0, EUR)), NOW + timedelta(days=5), {other: Money(700, EUR)}
    )
    dollars = ledger_postings.sale(
        uuid4(), TaxedAmount.of(Money(500, USD), Money(0, USD)), NOW + timedelta(days=20), {seller: Money(350, USD)}
    )
    paid = ledger_postings.payout("run", seller, Money(100, EUR), NOW + timedelta(days=30), withheld=Money(24, EUR))
    async with container() as scope:
        ledger = await scope.get(LedgerRepository)
        for transaction in (first, both, theirs, dollars, paid):
            await ledger.post(transaction)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        reads = await scope.get(SellerLedger)
        assert await reads.balance_before(seller, EUR, NOW) == Money(0, EUR)
        assert await reads.balance_before(seller, EUR, NOW + timedelta(days=11)) == Money(-1400, EUR)
        assert await reads.balance_before(seller, EUR, NOW + timedelta(days=31)) == Money(-1276, EUR)
        assert await reads.balance_before(seller, USD, NOW + timedelta(days=31)) == Money(-350, USD)
        period = await reads.transactions(seller, EUR, start=NOW + timedelta(days=1), end=NOW + timedelta(days=31))
        assert [t.id for t in period] == [both.id, paid.id]
        assert all(t.same_movement_as(p) for t, p in zip(period, (both, paid), strict=True))
        everything = await reads.transactions(seller, EUR, start=None, end=NOW + timedelta(days=10))
        assert [t.id for t in everything] == [first.id]  # the end is excluded
        assert await reads.first_movements(seller) == {EUR: NOW, USD: NOW + timedelta(days=20)}
        assert await reads.first_movements(uuid4()) == {}


async def test_the_orders_behind_a_statement_are_read_together(container: AsyncContainer) -> None:
    orders = [an_order(gross) for gross in (1000, 2000, 3000)]
    async with container() as scope:
        repository = await scope.get(OrderRepository)
        for order in orders:
            await repository.add(order)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        reads = await scope.get(StatementOrders)
        found = await reads.orders([orders[2].id, uuid4(), orders[0].id, orders[0].id])
        assert set(found) == {orders[0].id, orders[2].id}
        assert found[orders[2].id].lines == orders[2].lines and found[orders[2].id].total == orders[2].total
        assert await reads.orders([]) == {}
