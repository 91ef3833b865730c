"""A developer's monthly statement through the running system (memory): sales, a partial refund, a
lost dispute, a payout with tax withheld and a returned payout; its totals are the ledger's
``seller_payable`` balances to the minor unit, month after month, and only the publisher's owner
(or a billing admin) reads it. CSV parsed, PDF text extracted."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.get_statement import GetStatement
from devforge.application.billing.get_statement_csv import GetStatementCsv
from devforge.application.billing.get_statement_pdf import GetStatementPdf
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.list_statements import ListStatements
from devforge.application.billing.ports import CatalogRepository
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.show_revenue import ShowRevenue
from devforge.application.billing.start_checkout import CheckoutItem
from devforge.application.billing.statement_details import StatementDetails
from devforge.application.billing.statement_ports import SellerLedger
from devforge.application.billing.statements import StatementReadings, Statements
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.catalog import BillingInterval, CatalogProduct, Price, ProductKind
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.statement import SellerNotFound, Statement, StatementKind
from devforge.domain.marketplace.publisher import Publisher
from tests.unit.billing.purchase_world import PurchaseWorld, purchase_world
from tests.unit.billing.test_invoice_pdf import page_text

EUR = Currency("EUR")


async def a_publisher_selling(world: PurchaseWorld) -> Publisher:
    store = await world.container.get(MemoryStore)
    publisher = Publisher(
        id=uuid4(),
        namespace="acme",
        display_name="Acme Tools",
        owner_id=uuid4(),
        contact_email="dev@acme.example",
        created_at=world.clock.now() - timedelta(days=400),
    )
    store.table("marketplace_publishers")[publisher.id] = publisher
    extension = CatalogProduct(
        uuid4(), "ext-lint", "Lint Pro", ProductKind.EXTENSION, None, 14, world.clock.now(), seller_id=publisher.id
    )
    extension.set_price(Price(Money(1999, EUR), BillingInterval.ONE_TIME, tax_inclusive=True))
    async with world.container() as scope:
        await (await scope.get(CatalogRepository)).add(extension)
        await (await scope.get(UnitOfWork)).commit()
    return publisher


async def owed(world: PurchaseWorld, publisher: UUID) -> Money:
    """What the ledger says the platform owes the publisher now (its account's balance, negated)."""
    async with world.container() as scope:
        balances = await (await scope.get(LedgerRepository)).balances(EUR)
    return -balances.get(Account.seller_payable(publisher), Money.zero(EUR))


async def post(world: PurchaseWorld, *transactions: ledger_postings.LedgerTransaction) -> None:
    async with world.container() as scope:
        ledger = await scope.get(LedgerRepository)
        for transaction in transactions:
            await ledger.post(transaction)
        await (await scope.get(UnitOfWork)).commit()


async def statement(
    world: PurchaseWorld, actor: Actor, publisher: UUID, month: str, currency: str | None = None
) -> Statement:
    async with world.container() as scope:
        return (await (await scope.get(GetStatement))(actor, publisher, month, currency)).statement


async def test_a_month_of_sales_refund_chargeback_and_payouts_adds_up_to_the_ledger() -> None:
    world = await purchase_world()  # 2026-03-01 12:00 UTC
    publisher = await a_publisher_selling(world)
    owner = Actor.holding(publisher.owner_id, BillingPermission.EXTENSIONS_SELL)
    buyer = await world.customer()
    cart = await world.checkout(buyer, "editor-pro", more=(CheckoutItem("ext-lint"),))
    await world.deliver(*world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now()))
    world.clock.advance(timedelta(days=2))
    await world.checkout(await world.customer(), "ext-lint")
    paid = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*paid)
    share = cart.lines[1].amounts.net.amount_minor * 7000 // 10000
    assert await owed(world, publisher.id) == Money(2 * share, EUR)

    world.clock.advance(timedelta(days=1))
    async with world.container() as scope:
        await (await scope.get(RefundOrderHandler))(Actor(buyer), RefundOrder(cart.id, 1000, "part"))
    payment_id = paid[1].payment_id
    assert payment_id is not None
    world.clock.advance(timedelta(hours=1))
    await world.deliver(world.gateway.open_dispute(payment_id, at=world.clock.now()))
    await world.deliver(world.gateway.close_dispute(payment_id, lost=True, at=world.clock.now()))
    world.clock.advance(timedelta(days=5))
    payout = ledger_postings.payout("run-1", publisher.id, Money(500, EUR), world.clock.now(), withheld=Money(120, EUR))
    await post(world, payout)
    world.clock.advance(timedelta(days=1))
    await post(world, ledger_postings.payout_returned(payout, "run-1", world.clock.now()))
    world.clock.advance(timedelta(days=2))
    await post(world, ledger_postings.payout("run-2", publisher.id, Money(300, EUR), world.clock.now()))
    march_end = await owed(world, publisher.id)

    march = await statement(world, owner, publisher.id, "2026-03")
    kinds = [line.kind for line in march.lines]
    assert kinds == [
        StatementKind.SALE,
        StatementKind.SALE,
        StatementKind.REFUND,
        StatementKind.CHARGEBACK,
        StatementKind.PAYOUT,
        StatementKind.PAYOUT_RETURNED,
        StatementKind.PAYOUT,
    ]
    assert march.opening == Money.zero(EUR) and march.closing == march_end
    assert march.sales == Money(2 * share, EUR) and march.chargebacks == Money(-share, EUR)
    assert march.payouts == Money(-300, EUR) and march.tax_withheld == Money.zero(EUR)
    assert march.closing == march.opening + march.sales + march.refunds + march.chargebacks + march.payouts
    assert march.fees == Money.zero(EUR) and march.adjustments == Money.zero(EUR)
    sale = march.lines[0]
    assert sale.order_id == cart.id and sale.extensions == ("Lint Pro",) and sale.gross == Money(1999, EUR)
    assert sale.commission == cart.lines[1].amounts.net - Money(share, EUR) and sale.amount == Money(share, EUR)
    assert march.lines[3].order_id is not None and march.lines[3].amount == Money(-share, EUR)
    refund = march.lines[2]
    assert refund.order_id == cart.id and refund.gross is not None and refund.gross.is_negative
    assert refund.amount.is_negative and refund.gross.amount_minor > -1000  # only the extension's part of 10.00
    withheld = march.lines[4]
    assert (withheld.payout, withheld.tax_withheld, withheld.amount) == (
        Money(-500, EUR),
        Money(-120, EUR),
        Money(-620, EUR),
    )
    assert march.lines[5].amount == Money(620, EUR)

    world.clock.advance(timedelta(days=30))  # April
    await post(world, ledger_postings.payout("run-3", publisher.id, Money(100, EUR), world.clock.now()))
    april = await statement(world, owner, publisher.id, "2026-04")
    assert april.opening == march.closing and april.closing == await owed(world, publisher.id)
    assert [line.kind for line in april.lines] == [StatementKind.PAYOUT]


async def test_the_csv_and_pdf_say_what_the_statement_says() -> None:
    world = await purchase_world()
    publisher = await a_publisher_selling(world)
    owner = Actor.holding(publisher.owner_id, BillingPermission.EXTENSIONS_SELL)
    await world.checkout(await world.customer(), "ext-lint")
    await world.deliver(*world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now()))
    async with world.container() as scope:
        name, text = await (await scope.get(GetStatementCsv))(owner, publisher.id, "2026-03", "EUR")
        pdf_name, pdf = await (await scope.get(GetStatementPdf))(owner, publisher.id, "2026-03", None)
    expected = await statement(world, owner, publisher.id, "2026-03")
    assert (name, pdf_name) == ("statement-2026-03-EUR.csv", "statement-2026-03-EUR.pdf")
    rows = list(csv.DictReader(io.StringIO(text)))
    sales = [row for row in rows if row["kind"] == "sale"]
    assert len(sales) == 1 and sales[0]["extensions"] == "Lint Pro" and sales[0]["gross"] == "19.99"
    assert sales[0]["amount"] == expected.sales.major_units_text() and sales[0]["fees"] == "0.00"
    summary = {row["kind"]: row["amount"] for row in rows if row["kind"] not in ("sale",)}
    assert summary["opening_balance"] == "0.00"
    assert summary["closing_balance"] == (await owed(world, publisher.id)).major_units_text()
    shown = page_text(pdf)
    for words in ("STATEMENT", "Acme Tools", "Closing balance", "Lint Pro", expected.closing.major_units_text()):
        assert words in shown, words
    assert "paid by the platform" in shown


async def test_a_refund_after_the_pdf_was_kept_shows_in_the_next_pdf() -> None:
    world = await purchase_world()
    publisher = await a_publisher_selling(world)
    owner = Actor.holding(publisher.owner_id, BillingPermission.EXTENSIONS_SELL)
    buyer = await world.customer()
    order = await world.checkout(buyer, "ext-lint")
    await world.deliver(*world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now()))

    async def pdf_text() -> str:
        async with world.container() as scope:
            return page_text((await (await scope.get(GetStatementPdf))(owner, publisher.id, "2026-03", None))[1])

    before = await pdf_text()
    assert await pdf_text() == before and "Refunds 0.00" in before
    async with world.container() as scope:
        await (await scope.get(RefundOrderHandler))(Actor(buyer), RefundOrder(order.id, 1000, "part"))
    after = await pdf_text()
    closing = (await statement(world, owner, publisher.id, "2026-03")).closing
    assert after != before and closing.major_units_text() in after and closing == await owed(world, publisher.id)


async def test_another_developer_is_told_there_is_no_such_publisher_and_an_admin_reads_it() -> None:
    world = await purchase_world()
    publisher = await a_publisher_selling(world)
    stranger = Actor.holding(uuid4(), BillingPermission.EXTENSIONS_SELL)
    with pytest.raises(SellerNotFound):
        await statement(world, stranger, publisher.id, "2026-03")
    with pytest.raises(SellerNotFound):
        await statement(world, stranger, uuid4(), "2026-03")
    async with world.container() as scope:
        with pytest.raises(SellerNotFound):
            await (await scope.get(ListStatements))(stranger, publisher.id)
        assert await (await scope.get(ListStatements))(stranger, None) == []
    admin = Actor.holding(uuid4(), BillingPermission.ADMIN)
    nothing_yet = await statement(world, admin, publisher.id, "2026-03", "eur")
    assert nothing_yet.lines == () and nothing_yet.closing == Money.zero(EUR)


async def test_revenue_per_extension_balance_payouts_and_the_next_payout() -> None:
    world = await purchase_world(payout_hold_days=30, payout_day_of_month=1)  # 2026-03-01 12:00 UTC
    publisher = await a_publisher_selling(world)
    owner = Actor.holding(publisher.owner_id, BillingPermission.EXTENSIONS_SELL)
    buyer = await world.customer()
    cart = await world.checkout(buyer, "editor-pro", more=(CheckoutItem("ext-lint"),))
    await world.deliver(*world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now()))
    share = cart.lines[1].amounts.net.amount_minor * 7000 // 10000
    world.clock.advance(timedelta(days=5))
    await world.checkout(await world.customer(), "ext-lint")
    second = world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now())
    await world.deliver(*second)
    assert second[1].payment_id is not None
    await world.deliver(world.gateway.open_dispute(second[1].payment_id, at=world.clock.now()))  # left open
    world.clock.advance(timedelta(hours=1))
    async with world.container() as scope:
        await (await scope.get(RefundOrderHandler))(Actor(buyer), RefundOrder(cart.id, 1000, "part"))
    world.clock.advance(timedelta(hours=1))
    payout = ledger_postings.payout("run-1", publisher.id, Money(400, EUR), world.clock.now(), withheld=Money(96, EUR))
    await post(world, payout)
    world.clock.advance(timedelta(hours=1))
    await post(world, ledger_postings.payout_returned(payout, "run-1", world.clock.now()))
    await post(world, ledger_postings.payout("run-2", publisher.id, Money(200, EUR), world.clock.now()))
    owed_now = await owed(world, publisher.id)

    async with world.container() as scope:
        found = await (await scope.get(ShowRevenue))(owner, publisher.id)
    [revenue] = found.revenues
    [lint] = revenue.extensions
    back = 2 * share - (revenue.sales + revenue.refunds).amount_minor  # the refund's give-back
    assert (lint.name, lint.sales, lint.gross) == ("Lint Pro", 2, Money(2 * 1999, EUR))
    assert 0 < lint.refunded.amount_minor < 1000 and lint.net == Money(2 * share - back, EUR)
    assert revenue.net == Money(2 * share - back, EUR) and revenue.paid == Money(200, EUR)
    assert revenue.balance.total == owed_now and revenue.balance.pending == Money(2 * share, EUR)
    assert revenue.balance.held == Money(share, EUR)  # the open dispute holds the second sale's share
    assert revenue.balance.available == owed_now - Money(3 * share, EUR)
    assert [(p.reference, p.returned_at is not None) for p in revenue.payouts] == [("run-2", False), ("run-1", True)]
    assert revenue.payouts[1].withheld == Money(96, EUR) and revenue.payouts[1].transferred == Money(400, EUR)
    upcoming = revenue.next_payout
    assert upcoming.on == datetime(2026, 4, 1, tzinfo=UTC)
    # on 1 April the first sale has left the 30-day hold; the second (6 March) has not, and is disputed
    assert upcoming.amount == Money(max(0, (owed_now - Money(2 * share, EUR)).amount_minor), EUR)
    assert upcoming.minimum == Money(10000, EUR) and not upcoming.will_pay
    assert [(str(p.month), p.currency.code) for p in found.statements] == [("2026-03", "EUR")]
    stranger = Actor.holding(uuid4(), BillingPermission.EXTENSIONS_SELL)
    async with world.container() as scope:
        with pytest.raises(SellerNotFound):
            await (await scope.get(ShowRevenue))(stranger, publisher.id)


class _HeldLedger:
    """The world's seller ledger, whose month reads wait for ``release`` and are counted."""

    def __init__(self, ledger: SellerLedger) -> None:
        self._ledger, self.release, self.reads = ledger, asyncio.Event(), 0

    async def balance_before(self, publisher_id: UUID, currency: Currency, before: datetime) -> Money:
        return await self._ledger.balance_before(publisher_id, currency, before)

    async def transactions(
        self, publisher_id: UUID, currency: Currency, *, start: datetime, end: datetime
    ) -> list[ledger_postings.LedgerTransaction]:
        self.reads += 1
        await self.release.wait()
        return list(await self._ledger.transactions(publisher_id, currency, start=start, end=end))

    async def first_movements(self, publisher_id: UUID) -> dict[Currency, datetime]:
        return await self._ledger.first_movements(publisher_id)


async def test_callers_asking_for_one_statement_at_once_share_one_build_each_checked_first() -> None:
    world = await purchase_world()
    publisher = await a_publisher_selling(world)
    await world.checkout(await world.customer(), "ext-lint")
    await world.deliver(*world.gateway.complete_checkout(list(world.gateway.checkouts)[-1], at=world.clock.now()))
    owner = Actor.holding(publisher.owner_id, BillingPermission.EXTENSIONS_SELL)
    admin = Actor.holding(uuid4(), BillingPermission.ADMIN)
    stranger = Actor.holding(uuid4(), BillingPermission.EXTENSIONS_SELL)
    async with world.container() as scope:
        held = _HeldLedger(await scope.get(SellerLedger))
        statements = Statements(
            await scope.get(ExtensionSellers),
            held,
            await scope.get(StatementDetails),
            world.clock,
            await scope.get(StatementReadings),
        )
        first = asyncio.create_task(statements.statement(owner, publisher.id, "2026-03", "EUR"))
        second = asyncio.create_task(statements.statement(admin, publisher.id, "2026-03", "EUR"))
        await asyncio.sleep(0.01)
        with pytest.raises(SellerNotFound):  # a reading in flight is joined only after the check
            await statements.statement(stranger, publisher.id, "2026-03", "EUR")
        held.release.set()
        mine, theirs = await first, await second
        assert held.reads == 1
        assert mine.statement is theirs.statement and len(mine.statement.lines) == 1
        again = await statements.statement(owner, publisher.id, "2026-03", "EUR")  # nothing is kept
        assert held.reads == 2 and again.statement == mine.statement
