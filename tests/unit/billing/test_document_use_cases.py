"""The document use cases on memory adapters: an order paid issues one invoice, readers see only
their own, refunds produce numbered credit notes and ledger reversals within what is refundable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.get_credit_note import GetCreditNote
from devforge.application.billing.get_credit_note_pdf import GetCreditNotePdf
from devforge.application.billing.get_invoice import GetInvoice
from devforge.application.billing.get_invoice_pdf import GetInvoicePdf
from devforge.application.billing.invoice_ports import LedgerRepository, PaidOrder
from devforge.application.billing.invoice_views import InvoiceView
from devforge.application.billing.list_invoices import ListInvoices
from devforge.application.billing.published import DisputeLostV1, DisputeOpenedV1, DisputeWonV1, OrderRefundedV1
from devforge.application.billing.record_dispute import (
    WhenDisputeLostPostToLedger,
    WhenDisputeOpenedHoldInLedger,
    WhenDisputeWonReleaseHold,
)
from devforge.application.billing.refund_order import RefundOrder, RefundOrderHandler
from devforge.application.billing.resolve_unknown_refunds import ResolveUnknownRefunds
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.billing.when_order_refunded_issue_credit_note import WhenOrderRefundedIssueCreditNote
from devforge.application.common.actor import Actor
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import RefundExceedsRemaining
from devforge.domain.billing.invoice_errors import (
    CreditNoteNotFound,
    InvoiceNotFound,
    InvoiceStateInvalid,
    OrderNotInvoiced,
    RefundWindowClosed,
)
from devforge.domain.billing.ledger import CLEARING, DISPUTES, PROCESSOR_FEES, REFUNDS, REVENUE, TAX_PAYABLE
from devforge.domain.billing.money import Money
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.processor_fees import FeeRate
from devforge.domain.billing.refund import RefundStatus
from tests.unit.billing.documents import NOW, order_paid_event, paid_order
from tests.unit.billing.documents_container import documents_container

EUR = Currency("EUR")
ADMIN = Actor.holding(uuid4(), BillingPermission.ADMIN)


@pytest.fixture
def orders() -> InMemoryPaidOrders:
    return InMemoryPaidOrders()


@pytest.fixture
def gateway() -> InMemoryPaymentGateway:
    return InMemoryPaymentGateway()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def container(
    orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway, clock: ManualClock
) -> AsyncIterator[AsyncContainer]:
    container = documents_container(orders, gateway, clock)
    yield container
    await container.close()


async def deliver(container: AsyncContainer, order: PaidOrder) -> None:
    """What the event delivery does: the consumer in a transaction, committed."""
    async with container() as scope:
        await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(order))
        await (await scope.get(UnitOfWork)).commit()


async def invoice_of(container: AsyncContainer, order: PaidOrder) -> InvoiceView:
    async with container() as scope:
        page, _ = await (await scope.get(ListInvoices))(Actor(order.user_id), limit=100)
        [invoice] = [i for i in page if i.order_id == order.order_id]
        return await (await scope.get(GetInvoice))(Actor(order.user_id), invoice.id)


async def refund(container: AsyncContainer, reader: Actor, order: PaidOrder, amount: int | None):  # type: ignore[no-untyped-def]
    async with container() as scope:
        return await (await scope.get(RefundOrderHandler))(
            reader, RefundOrder(order.order_id, amount, "changed my mind")
        )


async def balances(container: AsyncContainer) -> dict[str, int]:
    async with container() as scope:
        found = await (await scope.get(LedgerRepository)).balances(EUR)
        return {account.code: money.amount_minor for account, money in found.items()}


async def test_an_order_paid_issues_one_numbered_paid_invoice_and_posts_the_sale(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    await deliver(container, order)  # redelivered: nothing more
    view = await invoice_of(container, order)
    invoice = view.invoice
    assert str(invoice.number) == "DF-2026-000001" and invoice.status.value == "paid"
    assert invoice.payment_id == order.payment_id and invoice.total.gross == view.refundable
    assert invoice.refund_window_ends_at == order.paid_at + timedelta(days=14)
    gross, net, tax = (invoice.total.gross.amount_minor, invoice.total.net.amount_minor, invoice.total.tax.amount_minor)
    fee = FeeRate(290, 25).of(invoice.total.gross).amount_minor  # the EUR estimate of the default settings
    assert await balances(container) == {
        CLEARING.code: gross - fee,
        REVENUE.code: -net,
        TAX_PAYABLE.code: -tax,
        PROCESSOR_FEES.code: fee,
    }
    async with container() as scope:
        names = [e.name for e in await (await scope.get(Outbox)).claim_unrelayed(100)]
    assert names.count("billing.invoice_issued") == 1


async def test_invoices_are_numbered_in_sequence(container: AsyncContainer, orders: InMemoryPaidOrders) -> None:
    placed = [paid_order() for _ in range(3)]
    for order in placed:
        orders.add(order)
        await deliver(container, order)
    numbers = [str((await invoice_of(container, order)).invoice.number) for order in placed]
    assert numbers == ["DF-2026-000001", "DF-2026-000002", "DF-2026-000003"]


async def test_an_order_not_known_yet_fails_the_delivery_so_it_is_retried(container: AsyncContainer) -> None:
    with pytest.raises(OrderNotInvoiced):
        await deliver(container, paid_order())


async def test_readers_see_their_own_invoices_and_admins_all(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    mine, theirs = paid_order(), paid_order()
    for order in (mine, theirs):
        orders.add(order)
        await deliver(container, order)
    their_invoice = (await invoice_of(container, theirs)).invoice
    async with container() as scope:
        get = await scope.get(GetInvoice)
        with pytest.raises(InvoiceNotFound):
            await get(Actor(mine.user_id), their_invoice.id)
        with pytest.raises(InvoiceNotFound):
            await (await scope.get(GetInvoicePdf))(Actor(mine.user_id), their_invoice.id)
        assert (await get(ADMIN, their_invoice.id)).invoice.id == their_invoice.id
        everyone, _ = await (await scope.get(ListInvoices))(ADMIN)
        own, _ = await (await scope.get(ListInvoices))(Actor(mine.user_id))
    assert len(everyone) == 2 and [i.order_id for i in own] == [mine.order_id]


async def test_the_list_pages_by_keyset_newest_first(
    container: AsyncContainer, orders: InMemoryPaidOrders, clock: ManualClock
) -> None:
    user = uuid4()
    for _ in range(5):
        order = paid_order(user_id=user)
        orders.add(order)
        await deliver(container, order)
        clock.advance(timedelta(minutes=1))
    seen, cursor = [], None
    async with container() as scope:
        list_invoices = await scope.get(ListInvoices)
        while True:
            page, cursor = await list_invoices(Actor(user), after=cursor, limit=2)
            seen += [str(i.number) for i in page]
            if cursor is None:
                break
    assert seen == [f"DF-2026-00000{n}" for n in (5, 4, 3, 2, 1)]


async def test_partial_then_full_refund_issue_credit_notes_and_reverse_the_ledger(
    container: AsyncContainer, orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    customer = Actor(order.user_id)
    total = (await invoice_of(container, order)).invoice.total.gross

    first = await refund(container, customer, order, 1000)
    assert first.refund.status is RefundStatus.SUCCEEDED and str(first.credit_note.number) == "CN-2026-000001"
    assert first.credit_note.total.gross == Money(1000, EUR)
    [asked] = gateway.refunds.values()
    assert asked.idempotency_key == f"refund-{first.refund.id}" and asked.provider_payment_id == order.payment_id
    assert orders.refunded[order.order_id] == Money(1000, EUR)

    rest = await refund(container, customer, order, None)
    assert rest.refund.amount == total - Money(1000, EUR) and str(rest.credit_note.number) == "CN-2026-000002"
    assert orders.refunded[order.order_id] == total
    view = await invoice_of(container, order)
    assert view.refundable.is_zero and len(view.credit_notes) == 2
    ledger = await balances(container)
    assert ledger[CLEARING.code] + ledger[PROCESSOR_FEES.code] == 0 and ledger[TAX_PAYABLE.code] == 0
    assert ledger[REFUNDS.code] == -ledger[REVENUE.code] and sum(ledger.values()) == 0
    with pytest.raises(RefundExceedsRemaining):
        await refund(container, customer, order, 1)


async def test_refunding_more_than_remains_is_refused_and_nothing_is_asked(
    container: AsyncContainer, orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    total = (await invoice_of(container, order)).invoice.total.gross.amount_minor
    with pytest.raises(RefundExceedsRemaining):
        await refund(container, Actor(order.user_id), order, total + 1)
    assert gateway.refunds == {}


async def test_the_customer_refunds_only_within_the_window_an_admin_any_time(
    container: AsyncContainer, orders: InMemoryPaidOrders, clock: ManualClock
) -> None:
    order = paid_order(refund_window_days=7)
    orders.add(order)
    await deliver(container, order)
    clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(RefundWindowClosed):
        await refund(container, Actor(order.user_id), order, 100)
    assert (await refund(container, ADMIN, order, 100)).refund.status is RefundStatus.SUCCEEDED


async def test_someone_elses_order_is_not_found(container: AsyncContainer, orders: InMemoryPaidOrders) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    with pytest.raises(OrderNotInvoiced):
        await refund(container, Actor(uuid4()), order, 100)


async def test_a_provider_timeout_leaves_the_refund_unknown_holding_its_amount_until_resolved(
    container: AsyncContainer, orders: InMemoryPaidOrders, gateway: InMemoryPaymentGateway
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    total = (await invoice_of(container, order)).invoice.total.gross.amount_minor
    gateway.time_out_next, gateway.land_on_timeout = 1, True
    pending = await refund(container, Actor(order.user_id), order, total)
    assert pending.refund.status is RefundStatus.UNKNOWN and pending.credit_note is None
    with pytest.raises(RefundExceedsRemaining):
        await refund(container, Actor(order.user_id), order, 1)
    async with container() as scope:
        assert await (await scope.get(ResolveUnknownRefunds))() == 1
    view = await invoice_of(container, order)
    assert [str(n.number) for n in view.credit_notes] == ["CN-2026-000001"]
    assert len(gateway.refunds) == 1  # the same idempotency key: refunded once


async def test_the_invoice_and_credit_note_pdfs_carry_their_numbers(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    done = await refund(container, Actor(order.user_id), order, 500)
    invoice = (await invoice_of(container, order)).invoice
    async with container() as scope:
        name, pdf = await (await scope.get(GetInvoicePdf))(Actor(order.user_id), invoice.id)
        note_name, note_pdf = await (await scope.get(GetCreditNotePdf))(ADMIN, done.credit_note.id)
    assert name == "DF-2026-000001.pdf" and pdf.startswith(b"%PDF-")
    assert note_name == "CN-2026-000001.pdf" and note_pdf.startswith(b"%PDF-")


async def credit_provider_refunds(container: AsyncContainer, order: PaidOrder) -> None:
    refunded = OrderRefundedV1(
        order_id=order.order_id, user_id=order.user_id, amount=1, currency="EUR", full=False, licensed=False
    )
    event = refunded.envelope(NOW)
    async with container() as scope:
        await (await scope.get(WhenOrderRefundedIssueCreditNote)).handle(event)
        await (await scope.get(UnitOfWork)).commit()


async def test_a_refund_made_at_the_provider_gets_its_credit_note_once(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    ours = await refund(container, Actor(order.user_id), order, 1000)
    await credit_provider_refunds(container, order)  # our own refund: already credited
    assert len((await invoice_of(container, order)).credit_notes) == 1

    orders.provider_refunded(order.order_id, Money(1000 + 700, EUR))  # 7.00 more, from the dashboard
    await credit_provider_refunds(container, order)
    await credit_provider_refunds(container, order)  # redelivered
    view = await invoice_of(container, order)
    assert [n.total.gross.amount_minor for n in view.credit_notes] == [1000, 700]
    assert view.refundable == view.invoice.total.gross - Money(1700, EUR)
    assert ours.credit_note is not None
    ledger = await balances(container)
    cash = ledger[CLEARING.code] + ledger[PROCESSOR_FEES.code]  # the fee's estimate is the platform's cost
    assert cash == view.invoice.total.gross.amount_minor - 1700 and sum(ledger.values()) == 0


async def test_after_a_lost_dispute_the_ledger_shows_the_money_gone_and_no_refund_is_possible(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    gross = (await invoice_of(container, order)).invoice.total.gross.amount_minor
    lost = DisputeLostV1(
        order_id=order.order_id, user_id=order.user_id, licensed=False, amount=gross, currency="EUR"
    ).envelope(NOW)
    for _ in range(2):  # redelivered: posted once
        async with container() as scope:
            await (await scope.get(WhenDisputeLostPostToLedger)).handle(lost)
            await (await scope.get(UnitOfWork)).commit()
    invoice = (await invoice_of(container, order)).invoice
    ledger = await balances(container)
    assert ledger[CLEARING.code] + ledger[PROCESSOR_FEES.code] == 0 and ledger[DISPUTES.code] == 0
    assert ledger[REFUNDS.code] == invoice.total.net.amount_minor and ledger[TAX_PAYABLE.code] == 0
    with pytest.raises(InvoiceStateInvalid):
        await refund(container, ADMIN, order, 100)


async def test_an_open_dispute_holds_the_payment_and_a_won_one_releases_it(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    order = paid_order()
    orders.add(order)
    await deliver(container, order)
    before = await balances(container)
    gross = (await invoice_of(container, order)).invoice.total.gross.amount_minor
    ids = {"order_id": order.order_id, "user_id": order.user_id, "amount": gross, "currency": "EUR"}
    opened = DisputeOpenedV1(**ids).envelope(NOW)
    for _ in range(2):  # redelivered: held once
        async with container() as scope:
            await (await scope.get(WhenDisputeOpenedHoldInLedger)).handle(opened)
            await (await scope.get(UnitOfWork)).commit()
    invoice = (await invoice_of(container, order)).invoice
    held = await balances(container)
    assert held[DISPUTES.code] == invoice.total.gross.amount_minor
    assert held[CLEARING.code] == before[CLEARING.code] - invoice.total.gross.amount_minor
    assert sum(held.values()) == 0
    won = DisputeWonV1(**ids).envelope(NOW)
    for _ in range(2):
        async with container() as scope:
            await (await scope.get(WhenDisputeWonReleaseHold)).handle(won)
            await (await scope.get(UnitOfWork)).commit()
    assert await balances(container) == before | {DISPUTES.code: 0}


async def test_a_credit_note_and_its_pdf_are_its_buyers_and_the_admins_only(
    container: AsyncContainer, orders: InMemoryPaidOrders
) -> None:
    theirs, stranger = paid_order(), Actor(uuid4())
    orders.add(theirs)
    await deliver(container, theirs)
    note = (await refund(container, Actor(theirs.user_id), theirs, 500)).credit_note
    assert note is not None
    async with container() as scope:
        show, pdf = await scope.get(GetCreditNote), await scope.get(GetCreditNotePdf)
        for use_case in (show, pdf):
            with pytest.raises(CreditNoteNotFound):
                await use_case(stranger, note.id)
            with pytest.raises(CreditNoteNotFound):
                await use_case(Actor(theirs.user_id), uuid4())
        assert (await show(Actor(theirs.user_id), note.id)).id == note.id
        assert (await show(ADMIN, note.id)).id == note.id
        assert (await pdf(Actor(theirs.user_id), note.id))[0] == "CN-2026-000001.pdf"
