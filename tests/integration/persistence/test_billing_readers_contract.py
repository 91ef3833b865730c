"""Billing's readers on the common read path: memory, SQLite and PostgreSQL read orders, invoices,
credit notes and refunds exactly as the repositories do, committed data only (``OrderReader``,
``DocumentReader``: the pages that show them take no unit of work)."""

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
from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    DocumentReader,
    InvoiceCursor,
    InvoiceRepository,
    RefundRepository,
)
from devforge.application.billing.ports import CatalogRepository, OrderReader, OrderRepository, ProductReader
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund
from tests.integration.backends import BACKENDS
from tests.integration.marketplace.test_catalog_reader_contract import shape
from tests.integration.persistence.billing_documents_backends import documents_backend
from tests.integration.persistence.test_billing_contract import billing_backend
from tests.unit.billing.documents import NOW, draft, issued, line
from tests.unit.billing.test_order import an_order

EUR = Currency("EUR")


@pytest.fixture(params=BACKENDS)
async def orders(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with billing_backend(request.param, tmp_path) as built:
        yield built


@pytest.fixture(params=BACKENDS)
async def documents(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    gateway, clock = InMemoryPaymentGateway(), ManualClock(NOW)
    async with documents_backend(request.param, tmp_path, InMemoryPaidOrders(), gateway, clock) as built:
        yield built


async def test_an_order_and_a_users_orders_are_read_as_the_repository_reads_them(orders: AsyncContainer) -> None:
    first, second, other = an_order(), an_order(), an_order()
    second.user_id = first.user_id
    for age, order in enumerate((first, second, other)):
        order.created_at = order.updated_at = NOW + timedelta(minutes=age)
    second.pay("pi_1", second.total.gross, NOW)
    second.refunded_to(Money(100, EUR), NOW)
    async with orders() as scope:
        for order in (first, second, other):
            await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).commit()
    reader = await orders.get(OrderReader)
    async with orders() as scope:
        stored = await (await scope.get(OrderRepository)).get(second.id)
        mine = await (await scope.get(OrderRepository)).list_for_user(first.user_id, limit=10, offset=0)
    assert shape(await reader.order(second.id)) == shape(stored)
    assert shape(await reader.orders_for(first.user_id, limit=10, offset=0)) == shape(mine)
    assert [o.id for o in await reader.orders_for(first.user_id, limit=10, offset=0)] == [second.id, first.id]
    assert [o.id for o in await reader.orders_for(None, limit=2, offset=1)] == [second.id, first.id]
    assert [o.id for o in await reader.orders_for(first.user_id, limit=1, offset=1)] == [first.id]
    assert await reader.order(uuid4()) is None


async def test_no_uncommitted_order_is_read(orders: AsyncContainer) -> None:
    order = an_order()
    async with orders() as scope:
        await (await scope.get(OrderRepository)).add(order)
        await (await scope.get(UnitOfWork)).rollback()
    reader = await orders.get(OrderReader)
    assert await reader.order(order.id) is None
    assert await reader.orders_for(order.user_id, limit=10, offset=0) == []


async def test_a_product_is_read_with_its_prices_as_the_repository_reads_it(orders: AsyncContainer) -> None:
    prices = [
        Price(Money(4900, EUR), BillingInterval.ONE_TIME, tax_inclusive=True),
        Price(Money(990, EUR), BillingInterval.MONTH),
        Price(Money(5900, Currency("USD")), BillingInterval.ONE_TIME),
    ]
    sold = CatalogProduct(uuid4(), "editor-pro", "Editor Pro", ProductKind.EDITOR_PLAN, None, 14, NOW, prices)
    bare = CatalogProduct(uuid4(), "editor-free", "Free", ProductKind.EDITOR_PLAN, None, 14, NOW, [], active=False)
    async with orders() as scope:
        for product in (sold, bare):
            await (await scope.get(CatalogRepository)).add(product)
        await (await scope.get(UnitOfWork)).commit()
    reader = await orders.get(ProductReader)
    async with orders() as scope:
        stored = await (await scope.get(CatalogRepository)).get_by_code("editor-pro")
    found = await reader.product("editor-pro")
    assert found is not None and stored is not None

    def by_key(price: Price) -> tuple[str, str]:
        return price.currency.code, price.interval.value

    assert sorted(found.prices, key=by_key) == sorted(stored.prices, key=by_key) == sorted(prices, key=by_key)
    assert shape(found) | {"prices": None} == shape(stored) | {"prices": None}
    empty = await reader.product("editor-free")
    assert empty is not None and empty.prices == [] and not empty.active
    assert await reader.product("no-such-thing") is None


async def test_the_active_products_are_read_by_code_as_the_repository_lists_them(orders: AsyncContainer) -> None:
    eur, usd, MONTH = Currency("EUR"), Currency("USD"), BillingInterval.MONTH
    made = [
        CatalogProduct(uuid4(), code, code.title(), ProductKind.EDITOR_PLAN, None, 14, NOW, prices, active=active)
        for code, prices, active in (
            ("zeta-plan", [Price(Money(100, eur), MONTH), Price(Money(900, eur), BillingInterval.YEAR)], True),
            ("alpha-plan", [Price(Money(500, usd), BillingInterval.ONE_TIME)], True),
            ("retired", [Price(Money(700, eur), BillingInterval.ONE_TIME)], False),
            ("no-prices", [], True),
        )
    ]
    async with orders() as scope:
        for product in made:
            await (await scope.get(CatalogRepository)).add(product)
        await (await scope.get(UnitOfWork)).commit()
    async with orders() as scope:
        listed = await (await scope.get(CatalogRepository)).list_active()
    found = await (await orders.get(ProductReader)).active_products()

    def key(price: Price) -> tuple[str, str]:
        return price.currency.code, price.interval.value

    assert [p.code for p in found] == [p.code for p in listed] == ["alpha-plan", "no-prices", "zeta-plan"]
    for read, stored in zip(found, listed, strict=True):
        assert sorted(read.prices, key=key) == sorted(stored.prices, key=key)
        assert shape(read) | {"prices": None} == shape(stored) | {"prices": None}


def a_credit_note(invoice: Invoice, sequence: int, amount: int) -> CreditNote:
    return CreditNote.issue(
        id=uuid4(), invoice=invoice, amount=Money(amount, EUR), earlier=[],
        number=DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, sequence), reason="seat", now=NOW,
    )  # fmt: skip


async def test_an_invoice_its_credit_notes_and_refunds_are_read_as_the_repositories_read_them(
    documents: AsyncContainer,
) -> None:
    invoice = issued(line(1000), line(333, rate_bp=700))
    later, earlier = a_credit_note(invoice, 2, 200), a_credit_note(invoice, 1, 500)
    refund = Refund(uuid4(), invoice.id, invoice.order_id, invoice.user_id, Money(500, EUR), "seat", uuid4(), NOW)
    async with documents() as scope:
        await (await scope.get(InvoiceRepository)).add(invoice)
        for note in (later, earlier):
            await (await scope.get(CreditNoteRepository)).add(note)
        await (await scope.get(RefundRepository)).add(refund)
        await (await scope.get(UnitOfWork)).commit()
    reader = await documents.get(DocumentReader)
    async with documents() as scope:
        stored = await (await scope.get(InvoiceRepository)).get(invoice.id)
        notes = await (await scope.get(CreditNoteRepository)).for_invoice(invoice.id)
        refunds = await (await scope.get(RefundRepository)).for_invoice(invoice.id)
    assert shape(await reader.invoice(invoice.id)) == shape(stored)
    assert await reader.credit_notes_for(invoice.id) == notes == [earlier, later]
    assert await reader.credit_note(later.id) == later
    assert await reader.refunds_for(invoice.id) == refunds == [refund]
    assert await reader.refund(refund.id) == refund and await reader.refund(uuid4()) is None
    assert await reader.invoice(uuid4()) is None and await reader.credit_note(uuid4()) is None
    assert await reader.credit_notes_for(uuid4()) == [] and await reader.refunds_for(uuid4()) == []


async def test_pages_of_issued_invoices_come_newest_first_by_keyset_each_with_its_lines(
    documents: AsyncContainer,
) -> None:
    user = uuid4()
    made = []
    for n in range(5):
        invoice = draft(line(1000 + n), line(50, rate_bp=700, quantity=n + 1), user_id=user, order_id=uuid4())
        invoice.created_at = NOW + timedelta(minutes=n % 3)  # ties on created_at are ordered by id
        invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, n + 1), NOW)
        made.append(invoice)
    not_issued = draft(user_id=user, order_id=uuid4())
    async with documents() as scope:
        for invoice in [*made, issued(sequence=99), not_issued]:
            await (await scope.get(InvoiceRepository)).add(invoice)
        await (await scope.get(UnitOfWork)).commit()
    reader = await documents.get(DocumentReader)
    seen, cursor = [], None
    while True:
        page = await reader.invoice_page(user_id=user, after=cursor, limit=2)
        seen += page
        if len(page) < 2:
            break
        cursor = InvoiceCursor(page[-1].created_at, page[-1].id)
    async with documents() as scope:
        stored = await (await scope.get(InvoiceRepository)).page(user_id=user, after=None, limit=100)
    assert shape(seen) == shape(stored)
    assert [i.id for i in seen] == [i.id for i in sorted(made, key=lambda i: (i.created_at, i.id.int), reverse=True)]
    assert len(await reader.invoice_page(user_id=None, after=None, limit=100)) == 6
    assert len(await reader.invoice_page(user_id=None, after=cursor, limit=100)) >= 1
    assert await reader.invoice_page(user_id=uuid4(), after=None, limit=10) == []


async def test_no_uncommitted_document_is_read(documents: AsyncContainer) -> None:
    invoice = issued()
    async with documents() as scope:
        await (await scope.get(InvoiceRepository)).add(invoice)
        await (await scope.get(UnitOfWork)).rollback()
    reader = await documents.get(DocumentReader)
    assert await reader.invoice(invoice.id) is None
    assert await reader.invoice_page(user_id=invoice.user_id, after=None, limit=10) == []


async def test_an_extension_is_read_with_its_seller(orders: AsyncContainer) -> None:
    publisher = uuid4()
    price = Price(Money(1999, EUR), BillingInterval.ONE_TIME, tax_inclusive=True)
    extension = CatalogProduct(
        uuid4(), "ext-lint", "Lint", ProductKind.EXTENSION, str(uuid4()), 14, NOW, [price], seller_id=publisher
    )
    async with orders() as scope:
        await (await scope.get(CatalogRepository)).add(extension)
        await (await scope.get(UnitOfWork)).commit()
    found = await (await orders.get(ProductReader)).product("ext-lint")
    assert found is not None and (found.kind, found.seller_id, found.prices) == (
        ProductKind.EXTENSION,
        publisher,
        [price],
    )
