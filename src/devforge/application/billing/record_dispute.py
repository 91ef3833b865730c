"""A dispute (chargeback) in the ledger: opened holds the disputed amount, won gives it back
(the reversal of the hold), lost turns it into money returned to the buyer (refunds and tax
payable, in the invoice's proportion of net to tax), and each seller of the order gives back its
share of what went back (spread over the lines as a credit note of that amount would be).
Postings are keyed by the dispute, so a provider repeating itself posts once. These do not
commit: they run in the transaction of the event delivery that calls them.

The hold is the disputed amount the provider reported (the invoice's gross when it reported
none, or in another currency). Every dispute event carries that amount, so whichever of its
consumers runs first posts the same hold (posting it again is a no-op): a won or lost dispute
whose opening is not posted yet posts the hold first. The consumers run once the order's invoice
exists: one delivered before it raises ``OrderNotInvoiced``, and the delivery is retried (the
invoice is issued by another consumer of the same order's payment, possibly at the same moment).
"""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_ports import (
    CreditNoteRepository,
    InvoiceRepository,
    LedgerRepository,
    SoldLines,
)
from devforge.application.billing.published import DisputeLostV1, DisputeOpenedV1, DisputeWonV1
from devforge.application.billing.seller_earnings_publication import post_publishing_earnings
from devforge.application.billing.seller_give_backs import dispute_given_back
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.outbox import Outbox
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.invoice_errors import OrderNotInvoiced
from devforge.domain.billing.ledger import DISPUTES, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount


class RecordDispute:
    def __init__(
        self,
        invoices: InvoiceRepository,
        ledger: LedgerRepository,
        clock: Clock,
        notes: CreditNoteRepository,
        sold: SoldLines,
        outbox: Outbox,
    ) -> None:
        self._invoices, self._ledger, self._clock, self._notes, self._sold = invoices, ledger, clock, notes, sold
        self._outbox = outbox

    async def opened(self, dispute_id: str, amount: Money) -> None:
        await self._ledger.post(ledger_postings.dispute_opened(dispute_id, amount, self._clock.now()))

    async def won(self, dispute_id: str, held: Money | None = None) -> None:
        hold = await self._hold(dispute_id, held)
        if hold is not None:
            await self._ledger.post(ledger_postings.dispute_won(hold, dispute_id, self._clock.now()))

    async def lost(self, order_id: UUID, dispute_id: str, held: Money | None = None) -> None:
        invoice = await _invoice(self._invoices, order_id)
        hold = await self._hold(dispute_id, held or invoice.total.gross)
        assert hold is not None
        amount = Money.total((e.amount for e in hold.entries if e.account == DISPUTES), invoice.currency)
        total = invoice.total
        net, tax = allocate(amount, [total.net.amount_minor, total.tax.amount_minor])
        back = await dispute_given_back(self._sold, invoice, await self._notes.for_invoice(invoice.id), amount)
        lost = TaxedAmount.of(net, tax)
        posting = ledger_postings.dispute_lost(dispute_id, lost, self._clock.now(), back)
        await post_publishing_earnings(self._ledger, self._outbox, posting)

    async def _hold(self, dispute_id: str, held: Money | None) -> LedgerTransaction | None:
        """The posted hold, posted now (of ``held``) if it was not yet."""
        hold = await self._ledger.get(f"dispute_opened:{dispute_id}")
        if hold is None and held is not None:
            hold = ledger_postings.dispute_opened(dispute_id, held, self._clock.now())
            await self._ledger.post(hold)
        return hold


async def _invoice(invoices: InvoiceRepository, order_id: UUID) -> Invoice:
    invoice = await invoices.get_by_order(order_id)
    if invoice is None:
        raise OrderNotInvoiced(f"Order {order_id} has no invoice yet; the delivery is retried.")
    return invoice


def held_amount(invoice: Invoice, dispute: DisputeOpenedV1 | DisputeWonV1 | DisputeLostV1) -> Money:
    """The disputed amount the event reports, else (another currency) the invoice's gross."""
    if dispute.amount and dispute.currency == invoice.currency.code:
        return Money(dispute.amount, invoice.currency)
    return invoice.total.gross


class WhenDisputeOpenedHoldInLedger:
    """The disputed amount moves from clearing to disputes until the dispute closes (posted
    once: the ledger transaction's idempotency id is the dispute's)."""

    name = "billing.hold_disputed_payment"
    subscribes_to = (DisputeOpenedV1,)

    def __init__(self, disputes: RecordDispute, invoices: InvoiceRepository) -> None:
        self._disputes, self._invoices = disputes, invoices

    async def handle(self, event: EventEnvelope) -> None:
        opened = DisputeOpenedV1.decode(event)
        invoice = await _invoice(self._invoices, opened.order_id)
        await self._disputes.opened(str(opened.order_id), held_amount(invoice, opened))


class WhenDisputeWonReleaseHold:
    name = "billing.release_dispute_hold"
    subscribes_to = (DisputeWonV1,)

    def __init__(self, disputes: RecordDispute, invoices: InvoiceRepository) -> None:
        self._disputes, self._invoices = disputes, invoices

    async def handle(self, event: EventEnvelope) -> None:
        won = DisputeWonV1.decode(event)
        invoice = await _invoice(self._invoices, won.order_id)
        await self._disputes.won(str(won.order_id), held_amount(invoice, won))


class WhenDisputeLostPostToLedger:
    name = "billing.post_lost_dispute"
    subscribes_to = (DisputeLostV1,)

    def __init__(self, disputes: RecordDispute, invoices: InvoiceRepository) -> None:
        self._disputes, self._invoices = disputes, invoices

    async def handle(self, event: EventEnvelope) -> None:
        lost = DisputeLostV1.decode(event)
        invoice = await _invoice(self._invoices, lost.order_id)
        await self._disputes.lost(lost.order_id, str(lost.order_id), held_amount(invoice, lost))
