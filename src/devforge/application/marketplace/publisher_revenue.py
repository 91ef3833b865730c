"""The marketplace's view of what a publisher earns, for the developer dashboard. Billing owns
the money; bootstrap serves this port with billing's published ``PublisherEarnings``
(``bootstrap/publisher_revenue.py``), so the marketplace never reads billing's tables. Reads
only: not transactional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class RevenueAtAGlance:
    """One publisher in one currency, integer minor units; "this month": the calendar month so far."""

    publisher_id: UUID
    currency: str
    exponent: int
    gross_this_month: int
    net_this_month: int
    paid_this_month: int
    pending: int
    held: int
    available: int
    next_payout_on: datetime
    next_payout_amount: int
    next_payout_minimum: int
    revenue_url: str
    statements_url: str


class PublisherRevenue(Protocol):
    async def at_a_glance(self, publisher_id: UUID) -> list[RevenueAtAGlance]:
        """Per currency the publisher ever sold in; empty when it never sold."""
        ...
