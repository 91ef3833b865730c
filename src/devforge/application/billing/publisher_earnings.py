"""Billing's published read for other contexts (bootstrap wires it to them; contexts never
import each other): a publisher's earnings at a glance, per currency, for the developer
dashboard. Plain values only. The caller decides who may see which publisher (the marketplace's
dashboard asks only for the caller's own publishers). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.billing.revenue_reader import INSTANT, RevenueReader
from devforge.application.common.clock import Clock
from devforge.domain.billing.statement import StatementMonth


@dataclass(frozen=True, slots=True)
class EarningsSummary:
    """Integer minor units of ``currency``; "this month" is the calendar month (UTC) so far."""

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


class PublisherEarnings:
    def __init__(self, reader: RevenueReader, clock: Clock) -> None:
        self._reader, self._clock = reader, clock

    async def summaries(self, publisher_id: UUID) -> list[EarningsSummary]:
        """One per currency the publisher's account ever moved in, by currency code."""
        now = self._clock.now()
        found = []
        for currency in await self._reader.currencies(publisher_id):
            revenue = await self._reader.revenue(
                publisher_id, currency, StatementMonth.of(now).start, now + INSTANT, now
            )
            upcoming = revenue.next_payout
            found.append(
                EarningsSummary(
                    publisher_id=publisher_id,
                    currency=currency.code,
                    exponent=currency.exponent,
                    gross_this_month=revenue.gross.amount_minor,
                    net_this_month=revenue.net.amount_minor,
                    paid_this_month=revenue.paid.amount_minor,
                    pending=revenue.balance.pending.amount_minor,
                    held=revenue.balance.held.amount_minor,
                    available=revenue.balance.available.amount_minor,
                    next_payout_on=upcoming.on,
                    next_payout_amount=upcoming.amount.amount_minor,
                    next_payout_minimum=upcoming.minimum.amount_minor,
                    revenue_url=f"/api/payments/revenue?publisherId={publisher_id}",
                    statements_url=f"/api/payments/statements?publisherId={publisher_id}",
                )
            )
        return found
