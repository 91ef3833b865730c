"""An administrator reads a publisher's payout hold trail: every hold and release, who and why."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.payout_run_ports import PayoutReader
from devforge.domain.billing.payout import PayoutHoldChange, PublisherNotFound


class GetPayoutHoldTrail:
    """A plain read of the committed trail (``PayoutReader``: no unit of work, no session)."""

    def __init__(self, payouts: PayoutReader, sellers: ExtensionSellers) -> None:
        self._payouts, self._sellers = payouts, sellers

    async def __call__(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        if await self._sellers.seller(publisher_id) is None:
            raise PublisherNotFound("No publisher has this id.")
        return await self._payouts.hold_trail(publisher_id)
