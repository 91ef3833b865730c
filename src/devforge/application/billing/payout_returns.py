"""Giving a payout back to its publisher's balance (shared by the run, when the provider refuses
a transfer, and by the provider's ``transfer.reversed`` and ``payout.failed``): the ledger posts
``payout_returned`` (keyed by the payout, so once), the payout is marked returned, and
``PayoutReturned`` goes to the outbox for the owner's mail, all in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payout_run_ports import PayoutRepository
from devforge.application.billing.publication import PUBLICATION
from devforge.application.common.outbox import Outbox
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.payout import Payout, PayoutReturned, PayoutStatus


async def give_back(
    payout: Payout,
    reason: str,
    now: datetime,
    *,
    payouts: PayoutRepository,
    ledger: LedgerRepository,
    outbox: Outbox,
    sellers: ExtensionSellers,
) -> bool:
    """False when the payout was already returned (nothing happens twice)."""
    if payout.status is PayoutStatus.RETURNED:
        return False
    paid = await ledger.get(f"payout:{payout.id}")
    if paid is not None:
        await ledger.post(ledger_postings.payout_returned(paid, payout.id, now))
    await payouts.update(payout.returned(reason, now))
    seller = await sellers.seller(payout.publisher_id)
    if seller is not None:
        event = PayoutReturned(
            occurred_at=now,
            payout_id=payout.id,
            publisher_id=payout.publisher_id,
            user_id=seller.owner_id,
            amount=payout.amount.amount_minor,
            withheld=payout.withheld.amount_minor,
            currency=payout.currency.code,
            reason=reason,
        )
        await outbox.add([PUBLICATION.envelope(event)])
    return True
