"""What the sellers of an order give back when its money goes back to the buyer: a refund's
credit note, or a lost dispute spread over the lines like one. Cumulative per line (the earlier
credit notes are what went back before), so any sequence ending in a full refund gives back
exactly each seller's share (``domain/billing/seller_shares.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from devforge.application.billing.invoice_ports import SoldLines
from devforge.domain.billing.credit_note import CreditBreakdown, credit_note_for
from devforge.domain.billing.credit_note_document import CreditNote, remaining_creditable
from devforge.domain.billing.invoice import Invoice
from devforge.domain.billing.money import Money
from devforge.domain.billing.seller_shares import credited_per_line, given_back


async def _given_back(
    sold: SoldLines, invoice: Invoice, earlier: Sequence[CreditNote], this: CreditBreakdown
) -> dict[UUID, Money]:
    if invoice.order_id is None:
        return {}
    lines = await sold.seller_lines(invoice.order_id)
    if len(lines) != len(this.lines) or all(line is None for line in lines):
        return {}
    before = credited_per_line([note.breakdown for note in earlier], len(lines), invoice.currency)
    return given_back(lines, before, this)


async def refund_given_back(
    sold: SoldLines, invoice: Invoice, earlier: Sequence[CreditNote], note: CreditNote
) -> dict[UUID, Money]:
    """Each seller's give-back for ``note``, issued after ``earlier``."""
    return await _given_back(sold, invoice, earlier, note.breakdown)


async def dispute_given_back(
    sold: SoldLines, invoice: Invoice, notes: Sequence[CreditNote], lost: Money
) -> dict[UUID, Money]:
    """Each seller's give-back for a lost dispute of ``lost`` (gross): spread over what the credit
    notes left of each line, as a credit note of that amount would be (capped at what is left)."""
    left = remaining_creditable(invoice, notes)
    taken = min(lost, left, key=lambda money: money.amount_minor)
    if taken.amount_minor <= 0:
        return {}
    this = credit_note_for(invoice.amounts, taken, already_credited=[note.breakdown for note in notes])
    return await _given_back(sold, invoice, notes, this)
