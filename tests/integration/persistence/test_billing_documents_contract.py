"""One contract for billing's document repositories, the ledger and the number sequence, on
memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from dishka import AsyncContainer
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    DocumentNumberSequence,
    InvoiceCursor,
    InvoiceRepository,
    LedgerRepository,
    RefundRepository,
)
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.credit_note_document import CreditNote
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice import Invoice, InvoiceLine
from devforge.domain.billing.invoice_errors import InvoiceAlreadyExists, InvoiceChangedConcurrently
from devforge.domain.billing.ledger import CLEARING, DISPUTES, LedgerIdempotencyConflict
from devforge.domain.billing.money import Money
from devforge.domain.billing.rate import Rate
from devforge.domain.billing.refund import Refund, RefundStatus
from devforge.domain.billing.tax import TaxedAmount
from tests.integration.persistence.billing_documents_backends import documents_backend
from tests.unit.billing.documents import NOW, draft, issued, line

BACKENDS = ("memory", "sqlite", "postgres")
EUR = Currency("EUR")


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with documents_backend(
        request.param, tmp_path, InMemoryPaidOrders(), InMemoryPaymentGateway(), ManualClock(NOW)
    ) as built:
        yield built


def snapshot(invoice: Invoice) -> dict[str, Any]:
    return {name: getattr(invoice, name) for name in vars(invoice) if not name.startswith("_")}


async def test_an_invoice_round_trips_with_its_lines_amounts_and_parties(container: AsyncContainer) -> None:
    charged = TaxedAmount.of(Money(4900, EUR), Money(435, EUR))
    invoice = draft(
        InvoiceLine("Pro, yearly", 1, Money(4900, EUR), Rate.from_percent("8.875"), "df-pro", amounts=charged),
        InvoiceLine("Seat", 2, Money(0, EUR), None, amounts=TaxedAmount.zero(EUR)),
        order_id=uuid4(),
    )
    invoice.refund_window_ends_at = NOW + timedelta(days=14)
    invoice.notes = ("Reverse charge.",)
    invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, 42), NOW)
    invoice.pull_events()
    async with container() as scope:
        await (await scope.get(InvoiceRepository)).add(invoice)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        assert snapshot(await invoices.get(invoice.id)) == snapshot(invoice)
        assert snapshot(await invoices.get_by_order(invoice.order_id, for_update=True)) == snapshot(invoice)
        assert await invoices.get(uuid4()) is None


async def test_an_invoice_taxed_on_finalizing_round_trips(container: AsyncContainer) -> None:
    invoice = issued(line(1999, quantity=3), line(333, rate_bp=700))
    async with container() as scope:
        await (await scope.get(InvoiceRepository)).add(invoice)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert snapshot(await (await scope.get(InvoiceRepository)).get(invoice.id)) == snapshot(invoice)


async def test_an_order_has_one_invoice(container: AsyncContainer) -> None:
    first = issued()
    second = issued(sequence=2)
    second_same_order = draft(order_id=first.order_id)
    second_same_order.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, 3), NOW)
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        await invoices.add(first)
        await invoices.add(second)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        with pytest.raises(InvoiceAlreadyExists):
            await (await scope.get(InvoiceRepository)).add(second_same_order)
    async with container() as scope:
        with pytest.raises(InvoiceAlreadyExists):
            await (await scope.get(InvoiceRepository)).add(issued(sequence=2))  # a number is issued once


async def test_an_order_has_one_invoice_per_renewal_besides_its_purchase_invoice(container: AsyncContainer) -> None:
    purchase = issued()
    assert purchase.order_id is not None

    def renewal_invoice(ref: str, sequence: int) -> Invoice:
        invoice = draft(order_id=purchase.order_id)
        invoice.renewal_of = ref
        invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, sequence), NOW)
        return invoice

    renewal = renewal_invoice("in_2", 2)
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        await invoices.add(renewal)  # the renewal's first: the purchase invoice is still the order's own
        await invoices.add(purchase)
        await invoices.add(renewal_invoice("in_3", 3))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        with pytest.raises(InvoiceAlreadyExists):
            await (await scope.get(InvoiceRepository)).add(renewal_invoice("in_2", 4))
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        found = await invoices.get_by_order(purchase.order_id)
        again = await invoices.get_by_renewal(purchase.order_id, "in_2")
        assert await invoices.get_by_renewal(purchase.order_id, "in_9") is None
    assert found is not None and (found.id, found.renewal_of) == (purchase.id, None)
    assert again is not None and (again.id, again.renewal_of, str(again.number)) == (
        renewal.id,
        "in_2",
        "DF-2026-000002",
    )


async def test_payment_and_void_facts_are_stored_with_a_version_check(container: AsyncContainer) -> None:
    invoice = issued(paid=False)
    async with container() as scope:
        await (await scope.get(InvoiceRepository)).add(invoice)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        loaded, stale = await invoices.get(invoice.id), await invoices.get(invoice.id)
        loaded.mark_paid("pi_9", NOW)
        await invoices.update(loaded)
        stale.void("oops", NOW)
        with pytest.raises(InvoiceChangedConcurrently):
            await invoices.update(stale)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(InvoiceRepository)).get(invoice.id)
    assert stored.status.value == "paid" and stored.payment_id == "pi_9" and stored.version == 1


async def test_pages_come_newest_first_by_keyset_and_per_user(container: AsyncContainer) -> None:
    user = uuid4()
    made = []
    for n in range(5):
        invoice = draft(user_id=user, order_id=uuid4())
        invoice.created_at = NOW + timedelta(minutes=n % 3)  # ties on created_at are ordered by id
        invoice.finalize(DocumentNumber(DocumentSeries.INVOICE, 2026, n + 1), NOW)
        made.append(invoice)
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        for invoice in [*made, issued(sequence=99)]:
            await invoices.add(invoice)
        await (await scope.get(UnitOfWork)).commit()
    expected = [i.id for i in sorted(made, key=lambda i: (i.created_at, i.id.int), reverse=True)]
    async with container() as scope:
        invoices = await scope.get(InvoiceRepository)
        seen, cursor = [], None
        while True:
            page = await invoices.page(user_id=user, after=cursor, limit=2)
            seen += [i.id for i in page]
            if len(page) < 2:
                break
            cursor = InvoiceCursor(page[-1].created_at, page[-1].id)
        assert seen == expected
        assert len(await invoices.page(user_id=None, after=None, limit=100)) == 6


async def test_credit_notes_and_refunds_round_trip(container: AsyncContainer) -> None:
    invoice = issued(line(1000), line(333, rate_bp=700))
    refund = Refund(uuid4(), invoice.id, invoice.order_id, invoice.user_id, Money(500, EUR), "seat", uuid4(), NOW)
    note = CreditNote.issue(
        id=uuid4(),
        invoice=invoice,
        amount=Money(500, EUR),
        earlier=[],
        number=DocumentNumber(DocumentSeries.CREDIT_NOTE, 2026, 1),
        reason="seat",
        now=NOW,
        refund_id=refund.id,
    )
    async with container() as scope:
        await (await scope.get(InvoiceRepository)).add(invoice)
        refunds = await scope.get(RefundRepository)
        await refunds.add(refund)
        await (await scope.get(CreditNoteRepository)).add(note)
        refund.settle("succeeded", "re_1", NOW)
        refund.attach_credit_note(note.id)
        await refunds.update(refund)
        unknown = Refund(uuid4(), invoice.id, invoice.order_id, invoice.user_id, Money(1, EUR), "", uuid4(), NOW)
        unknown.mark_unknown()
        await refunds.add(unknown)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        notes, refunds = await scope.get(CreditNoteRepository), await scope.get(RefundRepository)
        assert await notes.get(note.id) == note
        assert await notes.for_invoice(invoice.id) == [note]
        assert await refunds.get(refund.id) == refund
        assert [r.id for r in await refunds.for_invoice(invoice.id)] == sorted(
            [refund.id, unknown.id], key=lambda i: i.int
        )
        assert [r.id for r in await refunds.unknown(limit=10)] == [unknown.id]
        assert (await refunds.get(refund.id)).status is RefundStatus.SUCCEEDED


async def test_the_ledger_posts_each_fact_once_and_derives_balances(container: AsyncContainer) -> None:
    sale = ledger_postings.sale(uuid4(), TaxedAmount.of(Money(1000, EUR), Money(190, EUR)), NOW)
    hold = ledger_postings.dispute_opened("dp_1", Money(1190, EUR), NOW)
    async with container() as scope:
        ledger = await scope.get(LedgerRepository)
        assert await ledger.post(sale) is True
        assert await ledger.post(sale) is False
        assert await ledger.post(hold) is True
        with pytest.raises(LedgerIdempotencyConflict):
            await ledger.post(ledger_postings.dispute_opened("dp_1", Money(1, EUR), NOW))
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        ledger = await scope.get(LedgerRepository)
        balances = await ledger.balances(EUR)
        assert balances[CLEARING] == Money(0, EUR) and balances[DISPUTES] == Money(1190, EUR)
        assert sum(m.amount_minor for m in balances.values()) == 0
        stored = await ledger.get(sale.idempotency_id)
        assert stored is not None and stored.same_movement_as(sale) and stored.id == sale.id
        assert {t.id for t in await ledger.transactions(EUR)} == {sale.id, hold.id}
        assert await ledger.balances(Currency("USD")) == {}


async def test_numbers_count_up_per_series_and_a_rollback_gives_its_number_back(container: AsyncContainer) -> None:
    async with container() as scope:
        numbers = await scope.get(DocumentNumberSequence)
        assert [await numbers.next(DocumentSeries.INVOICE) for _ in range(3)] == [1, 2, 3]
        assert await numbers.next(DocumentSeries.CREDIT_NOTE) == 1
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(DocumentNumberSequence)).next(DocumentSeries.INVOICE) == 4
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        assert await (await scope.get(DocumentNumberSequence)).next(DocumentSeries.INVOICE) == 4


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_the_database_refuses_to_change_or_delete_ledger_rows(backend: str, tmp_path: Path) -> None:
    async with documents_backend(
        backend, tmp_path, InMemoryPaidOrders(), InMemoryPaymentGateway(), ManualClock(NOW)
    ) as container:
        async with container() as scope:
            await (await scope.get(LedgerRepository)).post(ledger_postings.processor_fee("pi_1", Money(30, EUR), NOW))
            await (await scope.get(UnitOfWork)).commit()
        for statement in (
            "UPDATE billing_ledger_entries SET amount = amount + 1",
            "DELETE FROM billing_ledger_entries",
            "UPDATE billing_ledger_transactions SET description = 'edited'",
            "DELETE FROM billing_ledger_transactions",
        ):
            async with container() as scope:
                with pytest.raises(DBAPIError, match="append-only"):
                    await (await scope.get(AsyncSession)).execute(text(statement))
