"""A dispute (chargeback) in the ledger: opened holds the disputed amount, won gives it back
(the reversal of the hold), lost turns it into money returned to the buyer (refunds and tax
payable, in the invoice's proportion of net to tax). Postings are keyed by the dispute, so a
provider repeating itself posts once. These do not commit: they run in the transaction of the
webhook processing or of the event delivery that calls them.

A provider reports a dispute's amount; when ``billing.dispute_lost`` arrives for an order whose
opening was never posted, the hold is the invoice's gross, posted first.
"""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.invoice_ports import InvoiceRepository, LedgerRepository
from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.allocation import allocate
from devforge.domain.billing.ledger import DISPUTES
from devforge.domain.billing.money import Money
from devforge.domain.billing.tax import TaxedAmount


class RecordDispute:
    def __init__(self, invoices: InvoiceRepository, ledger: LedgerRepository, clock: Clock) -> None:
        self._invoices, self._ledger, self._clock = invoices, ledger, clock

    async def opened(self, dispute_id: str, amount: Money) -> None:
        await self._ledger.post(ledger_postings.dispute_opened(dispute_id, amount, self._clock.now()))

    async def won(self, dispute_id: str) -> None:
        hold = await self._ledger.get(f"dispute_opened:{dispute_id}")
        if hold is not None:
            await self._ledger.post(ledger_postings.dispute_won(hold, dispute_id, self._clock.now()))

    async def lost(self, order_id: UUID, dispute_id: str) -> None:
        invoice = await self._invoices.get_by_order(order_id)
        if invoice is None:
            return
        hold = await self._ledger.get(f"dispute_opened:{dispute_id}")
        if hold is None:
            await self.opened(dispute_id, invoice.total.gross)
            held = invoice.total.gross
        else:
            held = Money.total((e.amount for e in hold.entries if e.account == DISPUTES), invoice.currency)
        total = invoice.total
        net, tax = allocate(held, [total.net.amount_minor, total.tax.amount_minor])
        await self._ledger.post(ledger_postings.dispute_lost(dispute_id, TaxedAmount.of(net, tax), self._clock.now()))


class WhenDisputeOpenedHoldInLedger:
    """The invoice's gross moves from clearing to disputes until the dispute closes (posted
    once: the ledger transaction's idempotency id is the dispute's)."""

    name = "billing.hold_disputed_payment"
    subscribes_to = ("billing.dispute_opened",)

    def __init__(self, disputes: RecordDispute, invoices: InvoiceRepository) -> None:
        self._disputes, self._invoices = disputes, invoices

    async def handle(self, event: EventEnvelope) -> None:
        order_id = UUID(str(event.payload["order_id"]))
        invoice = await self._invoices.get_by_order(order_id)
        if invoice is not None:
            await self._disputes.opened(str(order_id), invoice.total.gross)


class WhenDisputeWonReleaseHold:
    name = "billing.release_dispute_hold"
    subscribes_to = ("billing.dispute_won",)

    def __init__(self, disputes: RecordDispute) -> None:
        self._disputes = disputes

    async def handle(self, event: EventEnvelope) -> None:
        await self._disputes.won(str(UUID(str(event.payload["order_id"]))))


class WhenDisputeLostPostToLedger:
    name = "billing.post_lost_dispute"
    subscribes_to = ("billing.dispute_lost",)

    def __init__(self, disputes: RecordDispute) -> None:
        self._disputes = disputes

    async def handle(self, event: EventEnvelope) -> None:
        order_id = UUID(str(event.payload["order_id"]))
        await self._disputes.lost(order_id, dispute_id=str(order_id))
