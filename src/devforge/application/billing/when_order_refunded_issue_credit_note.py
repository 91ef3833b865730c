"""When the provider reports more refunded than our refunds account for (a refund made in the
provider's dashboard, say), credit the difference: a refund row recorded as succeeded, a numbered
credit note and the ledger reversal, so every refund has its credit note whoever started it.

Our own refunds tell the order their running total in the transaction that issues their credit
note, so for them the difference is zero and nothing happens; redelivery finds it zero too. The
invoice row is locked, so this and a concurrent ``RefundOrderHandler`` settlement serialize. A
refund reported before the order's invoice exists (the order's payment and its refund are often
read from the provider at once) raises ``OrderNotInvoiced``: the delivery is retried.
"""

from __future__ import annotations

from uuid import uuid4

from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    DocumentNumberSequence,
    InvoiceRepository,
    LedgerRepository,
    OrderRefunds,
    RefundRepository,
    SoldLines,
)
from devforge.application.billing.published import OrderRefundedV1
from devforge.application.billing.seller_earnings_publication import post_publishing_earnings
from devforge.application.billing.seller_give_backs import refund_given_back
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.credit_note_document import CreditNote, remaining_creditable
from devforge.domain.billing.document_number import DocumentNumber, DocumentSeries
from devforge.domain.billing.invoice_errors import OrderNotInvoiced
from devforge.domain.billing.money import Money
from devforge.domain.billing.refund import Refund, RefundStatus

PROVIDER_REASON = "Refunded at the payment provider"


class WhenOrderRefundedIssueCreditNote:
    name = "billing.credit_provider_refund"
    subscribes_to = (OrderRefundedV1,)

    def __init__(
        self,
        invoices: InvoiceRepository,
        refunds: RefundRepository,
        notes: CreditNoteRepository,
        numbers: DocumentNumberSequence,
        ledger: LedgerRepository,
        orders: OrderRefunds,
        clock: Clock,
        sold: SoldLines,
        outbox: Outbox,
    ) -> None:
        self._invoices, self._refunds, self._notes, self._numbers = invoices, refunds, notes, numbers
        self._ledger, self._orders, self._clock, self._sold = ledger, orders, clock, sold
        self._outbox = outbox

    async def handle(self, event: EventEnvelope) -> None:
        order_id = OrderRefundedV1.decode(event).order_id
        invoice = await self._invoices.get_by_order(order_id, for_update=True)
        reported = await self._orders.refunded_total(order_id)
        if reported is None:
            return
        if invoice is None:
            raise OrderNotInvoiced(f"Order {order_id} has no invoice yet; the delivery is retried.")
        earlier = await self._refunds.for_invoice(invoice.id)
        accounted = Money.total((r.amount for r in earlier if r.holds_amount), invoice.currency)
        notes = await self._notes.for_invoice(invoice.id)
        missing = min(reported - accounted, remaining_creditable(invoice, notes), key=lambda m: m.amount_minor)
        if missing.amount_minor <= 0:
            return
        now = self._clock.now()
        refund = Refund(
            id=uuid4(),
            invoice_id=invoice.id,
            order_id=order_id,
            user_id=invoice.user_id,
            amount=missing,
            reason=PROVIDER_REASON,
            requested_by=invoice.user_id,
            requested_at=now,
            status=RefundStatus.SUCCEEDED,
            settled_at=now,
        )
        sequence = await self._numbers.next(DocumentSeries.CREDIT_NOTE)
        note = CreditNote.issue(
            id=uuid4(),
            invoice=invoice,
            amount=missing,
            earlier=notes,
            number=DocumentNumber(DocumentSeries.CREDIT_NOTE, now.year, sequence),
            reason=PROVIDER_REASON,
            now=now,
            refund_id=refund.id,
        )
        refund.attach_credit_note(note.id)
        await self._refunds.add(refund)
        await self._notes.add(note)
        back = await refund_given_back(self._sold, invoice, notes, note)
        posting = ledger_postings.refund(refund.id, note.total, now, back)
        await post_publishing_earnings(self._ledger, self._outbox, posting)
