"""A posting that moves sellers' earnings (a sale's shares, a refund's or a lost dispute's
give-backs) is published as ``billing.seller_earnings_posted``, one per publisher, in the same
transaction as the posting: analytics' earnings figures are these events, and they equal the
ledger's seller payable credits less their give-backs to the minor unit.

Once: a posting the ledger already holds (a redelivered fact: ``post`` answers False) publishes
nothing again, and the events' ids derive from the posting, so even a second publication would be
the same events."""

from __future__ import annotations

from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.publication import PUBLICATION
from devforge.application.common.outbox import Outbox
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.seller_earnings import earnings_posted


async def post_publishing_earnings(ledger: LedgerRepository, outbox: Outbox, transaction: LedgerTransaction) -> bool:
    """``LedgerRepository.post``, and the sellers' earnings it moved into the outbox when it is new."""
    posted = await ledger.post(transaction)
    moved = earnings_posted(transaction) if posted else []
    if moved:
        await outbox.add([PUBLICATION.envelope(event) for event in moved])
    return posted
