"""The financial reports' reader on memory, SQLite and PostgreSQL, over the same ledger: the sums
per day, kind of posting and account; the sellers' balances before a moment; the purchase sales
(not renewals); each payment's fee. (Orders, invoices and credit notes are read on SQLite and
PostgreSQL by ``tests/integration/http/test_financial_reports_api.py``.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.finance_ports import FinanceReader
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.ports import OrderRepository, SubscriptionRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.billing import SqlaBillingProvider
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.financial_reports import LedgerMovement, SellerBalance
from devforge.domain.billing.money import Money
from devforge.domain.billing.subscription import Subscription
from devforge.domain.billing.tax import TaxedAmount
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.integration.persistence.billing_documents_backends import documents_backend
from tests.unit.billing.documents import NOW
from tests.unit.billing.test_order import an_order

EUR, USD = Currency("EUR"), Currency("USD")


@pytest.fixture(params=("memory", "sqlite", "postgres"))
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with documents_backend(
        request.param, tmp_path, InMemoryPaidOrders(), InMemoryPaymentGateway(), ManualClock(NOW)
    ) as built:
        yield built


async def test_the_ledger_is_read_as_sums_per_day_kind_and_account(container: AsyncContainer) -> None:
    seller, order, other = uuid4(), uuid4(), uuid4()
    day, next_day = NOW, NOW + timedelta(days=1)
    amounts = TaxedAmount.of(Money(1000, EUR), Money(190, EUR))
    postings = [
        ledger_postings.sale(order, amounts, day, {seller: Money(700, EUR)}),
        ledger_postings.sale(order, amounts, next_day, {seller: Money(700, EUR)}, renewal="in_2"),
        ledger_postings.sale(other, TaxedAmount.of(Money(500, USD), Money(0, USD)), day),
        ledger_postings.processor_fee("pi_1", Money(60, EUR), day),
        ledger_postings.fee_true_up("pi_1", Money(60, EUR), Money(65, EUR), next_day),
        ledger_postings.payout("run:1", seller, Money(300, EUR), next_day),
    ]
    async with container() as scope:
        ledger = await scope.get(LedgerRepository)
        for posting in postings:
            assert posting is not None
            await ledger.post(posting)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        reader = await scope.get(FinanceReader)
        movements = await reader.ledger_movements(day - timedelta(hours=1), next_day + timedelta(hours=1))
        first_day_only = await reader.ledger_movements(day, day + timedelta(hours=1))
        balances = await reader.seller_balances(next_day)
        sales = await reader.sales(day, next_day + timedelta(hours=1))
        fees = await reader.fees_of(["pi_1", "pi_none"])
    d1, d2 = day.date(), next_day.date()
    wanted = {
        LedgerMovement(d1, "EUR", "sale", "processor_clearing", 1190, 1),
        LedgerMovement(d1, "EUR", "sale", "revenue", -300, 1),
        LedgerMovement(d1, "EUR", "sale", "tax_payable", -190, 1),
        LedgerMovement(d1, "EUR", "sale", f"seller_payable:{seller}", -700, 1),
        LedgerMovement(d2, "EUR", "sale", "processor_clearing", 1190, 1),
        LedgerMovement(d2, "EUR", "sale", "revenue", -300, 1),
        LedgerMovement(d2, "EUR", "sale", "tax_payable", -190, 1),
        LedgerMovement(d2, "EUR", "sale", f"seller_payable:{seller}", -700, 1),
        LedgerMovement(d1, "USD", "sale", "processor_clearing", 500, 1),
        LedgerMovement(d1, "USD", "sale", "revenue", -500, 1),
        LedgerMovement(d1, "EUR", "fee", "processor_fees", 60, 1),
        LedgerMovement(d1, "EUR", "fee", "processor_clearing", -60, 1),
        LedgerMovement(d2, "EUR", "fee_true_up", "processor_fees", 5, 1),
        LedgerMovement(d2, "EUR", "fee_true_up", "processor_clearing", -5, 1),
        LedgerMovement(d2, "EUR", "payout", f"seller_payable:{seller}", 300, 1),
        LedgerMovement(d2, "EUR", "payout", "processor_clearing", -300, 1),
    }
    assert set(movements) == wanted and len(movements) == len(wanted)
    assert {m.day for m in first_day_only} == {d1} and isinstance(first_day_only[0].day, date)
    assert balances == [SellerBalance("EUR", str(seller), -700)]
    assert sorted((s.order_id, s.currency, s.gross) for s in sales) == sorted(
        [(order, "EUR", 1190), (other, "USD", 500)]
    )
    assert fees == {"pi_1": 65}


@asynccontextmanager
async def orders_and_ledger(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    """Orders, subscriptions and the ledger on one backend, with the finance reader over them."""
    if backend == "memory":
        container = make_container(settings_for_tests(), base=memory_providers())
        yield container
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        sql = (SqlaPersistenceProvider(), SqlaBillingProvider(), SqlaBillingDocumentsProvider())
        container = make_container(settings_for_tests(database_url=url), *sql, base=memory_providers())
        try:
            yield container
        finally:
            await container.close()


@pytest.mark.parametrize("backend", ["memory", "sqlite", "postgres"])
async def test_recurring_sales_are_the_sales_of_orders_that_started_a_subscription(
    backend: str, tmp_path: Path
) -> None:
    subscribed, one_off = an_order(1190), an_order(500)
    amounts = TaxedAmount.of(Money(1000, EUR), Money(190, EUR))
    postings = [
        ledger_postings.sale(subscribed.id, amounts, NOW),
        ledger_postings.sale(subscribed.id, amounts, NOW + timedelta(days=30), renewal="in_2"),
        ledger_postings.sale(subscribed.id, amounts, NOW + timedelta(days=60), renewal="in_3"),
        ledger_postings.sale(one_off.id, TaxedAmount.of(Money(500, EUR), Money(0, EUR)), NOW),
    ]
    async with orders_and_ledger(backend, tmp_path) as container:
        async with container() as scope:
            for order in (subscribed, one_off):
                await (await scope.get(OrderRepository)).add(order)
            subscription = Subscription(uuid4(), subscribed.id, subscribed.user_id, "sub_1", BillingInterval.MONTH, NOW)
            await (await scope.get(SubscriptionRepository)).add(subscription)
            for posting in postings:
                await (await scope.get(LedgerRepository)).post(posting)
            await (await scope.get(UnitOfWork)).commit()
        async with container() as scope:
            sales = await (await scope.get(FinanceReader)).recurring_sales(NOW, NOW + timedelta(days=60))
    assert sorted((s.order_id, s.renewal or "", s.currency, s.gross, s.tax, s.net, s.at) for s in sales) == [
        (subscribed.id, "", "EUR", 1190, 190, 1000, NOW),
        (subscribed.id, "in_2", "EUR", 1190, 190, 1000, NOW + timedelta(days=30)),
    ]
