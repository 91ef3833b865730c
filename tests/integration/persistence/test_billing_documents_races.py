"""Races on real databases: invoice numbers stay gapless and unique when many orders are paid at
once, and concurrent refunds of one order never exceed what is refundable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    InvoiceRepository,
    LedgerRepository,
    PaidOrder,
)
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.providers.billing_documents import SqlaBillingDocumentsProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RefundExceedsRemaining
from devforge.domain.billing.invoice_errors import InvoiceAlreadyExists
from tests.integration.backends import postgres_database, sqlite_database
from tests.unit.billing.documents import NOW, order_paid_event, paid_order
from tests.unit.billing.documents_container import documents_container

ENGINES = 3


@asynccontextmanager
async def engines(
    backend: str, folder: Path, orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway
) -> AsyncIterator[list[AsyncContainer]]:
    """``ENGINES`` containers, each with its own engine (and pool), on one fresh database."""
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url, AsyncExitStack() as stack:
        containers = []
        for _ in range(ENGINES):
            container = documents_container(
                orders,
                gateway,
                ManualClock(NOW),
                SqlaPersistenceProvider(),
                SqlaBillingDocumentsProvider(),
                database_url=url,
            )
            stack.push_async_callback(container.close)
            containers.append(container)
        yield containers


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_thirty_orders_paid_at_once_get_gapless_unique_invoice_numbers(backend: str, tmp_path: Path) -> None:
    orders, gateway = InMemoryPaidOrders(), InMemoryPaymentGateway()
    placed = [paid_order() for _ in range(30)]
    for order in placed:
        orders.add(order)
    async with engines(backend, tmp_path, orders, gateway) as containers:

        async def deliver(index: int) -> None:
            async with containers[index % ENGINES]() as scope:
                await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(placed[index]))
                await (await scope.get(UnitOfWork)).commit()

        await asyncio.gather(*(deliver(index) for index in range(len(placed))))
        async with containers[0]() as scope:
            invoices = await (await scope.get(InvoiceRepository)).page(user_id=None, after=None, limit=100)
            ledger = await (await scope.get(LedgerRepository)).balances(Currency("EUR"))
    assert sorted(invoice.number.sequence for invoice in invoices) == list(range(1, 31))
    assert {invoice.order_id for invoice in invoices} == {order.order_id for order in placed}
    assert sum(balance.amount_minor for balance in ledger.values()) == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_concurrent_refunds_never_exceed_what_is_refundable(backend: str, tmp_path: Path) -> None:
    orders, gateway = InMemoryPaidOrders(), InMemoryPaymentGateway()
    order = paid_order()
    orders.add(order)
    async with engines(backend, tmp_path, orders, gateway) as containers:
        async with containers[0]() as scope:
            await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(order))
            await (await scope.get(UnitOfWork)).commit()
        async with containers[0]() as scope:
            invoice = await (await scope.get(InvoiceRepository)).get_by_order(order.order_id)
        quarter = invoice.total.gross.amount_minor // 4

        async def ask(index: int) -> bool:
            async with containers[index % ENGINES]() as scope:
                handler = await scope.get(RefundOrderHandler)
                try:
                    await handler(Actor(order.user_id), RefundOrder(order.order_id, quarter, f"ask {index}"))
                except RefundExceedsRemaining:
                    return False
                return True

        outcomes = await asyncio.gather(*(ask(index) for index in range(10)))
        async with containers[0]() as scope:
            notes = await (await scope.get(CreditNoteRepository)).for_invoice(invoice.id)
    assert outcomes.count(True) == 4
    assert (
        len(gateway.refunds) == 4
        and sum(r.amount for r in gateway.refunds.values()) <= invoice.total.gross.amount_minor
    )
    assert sorted(note.number.sequence for note in notes) == [1, 2, 3, 4]


async def test_one_order_paid_event_delivered_five_times_at_once_issues_one_invoice_and_no_gap(tmp_path: Path) -> None:
    orders, gateway = InMemoryPaidOrders(), InMemoryPaymentGateway()
    order, later = paid_order(), paid_order()
    orders.add(order)
    orders.add(later)
    async with engines("postgres", tmp_path, orders, gateway) as containers:

        async def deliver(index: int, which: PaidOrder) -> bool:
            async with containers[index % ENGINES]() as scope:
                try:
                    await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(which))
                    await (await scope.get(UnitOfWork)).commit()
                except InvoiceAlreadyExists:
                    return False  # the losing delivery rolls back, number included, and is retried later
                return True

        await asyncio.gather(*(deliver(index, order) for index in range(5)))
        assert await deliver(0, later)
        async with containers[0]() as scope:
            invoices = await (await scope.get(InvoiceRepository)).page(user_id=None, after=None, limit=100)
            ledger = await (await scope.get(LedgerRepository)).transactions(Currency("EUR"))
    assert sorted((i.order_id == order.order_id, i.number.sequence) for i in invoices) == [(False, 2), (True, 1)]
    # each paid order posts its sale and its processor fee's estimate, once however often delivered
    kinds = sorted(transaction.idempotency_id.split(":", 1)[0] for transaction in ledger)
    assert kinds == ["fee", "fee", "sale", "sale"]
    assert {t.idempotency_id for t in ledger if t.idempotency_id.startswith("sale:")} == {
        f"sale:{order.order_id}",
        f"sale:{later.order_id}",
    }
