"""When an order is paid, issue its invoice: finalized with the next invoice number, marked paid,
and the sale posted to the ledger, all in the delivery's transaction. The sale credits each line's
seller (an extension's publisher) its share at the commission fixed on the line at payment.

Idempotent on redelivery: an order has at most one invoice (checked first, and enforced by the
store), and the sale's ledger posting is keyed by the order. The invoice number is drawn as the
transaction's first write, so on SQLite the single writer is taken before anything else, and a
failed delivery rolls its number back: numbers stay gapless.
"""

from __future__ import annotations

from datetime import timedelta

from devforge.application.billing.invoice_ports import (
    DocumentNumberSequence,
    InvoiceRepository,
    LedgerRepository,
    PaidOrders,
    Seller,
)
from devforge.application.billing.paid_invoice import paid_invoice
from devforge.application.billing.processor_fee_estimates import ProcessorFeeEstimates
from devforge.application.billing.publication import record_events
from devforge.application.billing.published import OrderPaidV1
from devforge.application.billing.seller_earnings_publication import post_publishing_earnings
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.invoice_errors import OrderNotInvoiced
from devforge.domain.billing.seller_shares import sale_shares


class WhenOrderPaidIssueInvoice:
    name = "billing.issue_invoice"
    subscribes_to = (OrderPaidV1,)

    def __init__(
        self,
        invoices: InvoiceRepository,
        orders: PaidOrders,
        numbers: DocumentNumberSequence,
        ledger: LedgerRepository,
        outbox: Outbox,
        seller: Seller,
        clock: Clock,
        fees: ProcessorFeeEstimates,
    ) -> None:
        self._invoices, self._orders, self._numbers, self._ledger = invoices, orders, numbers, ledger
        self._outbox, self._seller, self._clock, self._fees = outbox, seller, clock, fees

    async def handle(self, event: EventEnvelope) -> None:
        order_id = OrderPaidV1.decode(event).order_id
        if await self._invoices.get_by_order(order_id) is not None:
            return
        order = await self._orders.get(order_id)
        if order is None:
            raise OrderNotInvoiced(f"Order {order_id} is not known as paid yet; the delivery is retried.")
        now = self._clock.now()
        invoice = await paid_invoice(
            order,
            seller=self._seller,
            numbers=self._numbers,
            now=now,
            payment_id=order.payment_id,
            paid_at=order.paid_at,
            notes=order.notes,
            refund_window_ends_at=order.paid_at + timedelta(days=order.refund_window_days),
        )
        await self._invoices.add(invoice)
        sale = ledger_postings.sale(order.order_id, invoice.total, now, sale_shares(order.sellers))
        await post_publishing_earnings(self._ledger, self._outbox, sale)
        await self._fees.post(order.payment_id, order.order_id, invoice.total.gross, now)
        await record_events(self._outbox, invoice)
