"""When a subscription's renewal is paid, issue its invoice: the order's lines again (a renewal
pays exactly the order's total, or it is flagged and published as no renewal at all), the next
DF number, marked paid with the renewal's payment, and the sale posted to the ledger
(``sale:<order>:<provider invoice>``), all in the delivery's transaction.

Idempotent on redelivery: one invoice per (order, renewal), checked first and unique in the
store; the number is drawn as the transaction's first write, so a failed delivery gives it back.
A renewal has no refund window: refunds are of the purchase (``RefundOrderHandler``).
"""

from __future__ import annotations

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
from devforge.application.billing.published import SubscriptionRenewedV1
from devforge.application.billing.seller_earnings_publication import post_publishing_earnings
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.invoice_errors import OrderNotInvoiced
from devforge.domain.billing.seller_shares import sale_shares


class WhenSubscriptionRenewedIssueInvoice:
    name = "billing.issue_renewal_invoice"
    subscribes_to = (SubscriptionRenewedV1,)

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
        renewed = SubscriptionRenewedV1.decode(event)
        renewal, order_id = renewed.invoice_ref, renewed.order_id
        if await self._invoices.get_by_renewal(order_id, renewal) is not None:
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
            payment_id=renewed.payment_id,
            paid_at=event.occurred_at,
            notes=(*order.notes, f"Renewal, paid until {renewed.period_end.date().isoformat()}."),
            renewal_of=renewal,
        )
        await self._invoices.add(invoice)
        sale = ledger_postings.sale(order.order_id, invoice.total, now, sale_shares(order.sellers), renewal=renewal)
        await post_publishing_earnings(self._ledger, self._outbox, sale)
        await self._fees.post(renewed.payment_id, order.order_id, invoice.total.gross, now)
        await record_events(self._outbox, invoice)
