"""Where the marketplace meets billing's money: the marketplace's ``PublisherRevenue`` port (the
developer dashboard's revenue), served by billing's published ``PublisherEarnings``. Only the
composition root sees both contexts."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from devforge.application.billing.publisher_earnings import PublisherEarnings
from devforge.application.marketplace.publisher_revenue import RevenueAtAGlance


class BillingPublisherRevenue:
    def __init__(self, earnings: PublisherEarnings) -> None:
        self._earnings = earnings

    async def at_a_glance(self, publisher_id: UUID) -> list[RevenueAtAGlance]:
        return [RevenueAtAGlance(**asdict(summary)) for summary in await self._earnings.summaries(publisher_id)]
