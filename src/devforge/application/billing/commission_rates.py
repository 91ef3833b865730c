"""The commission in force for each line of an order at the moment it is paid: the schedule
(``DEVFORGE_COMMISSION_*`` settings: a default, per-publisher rates, a first-days rate) applied to
the line's seller and the day that seller joined the marketplace. ``Order.pay`` fixes the rates
on the lines, once; nothing recomputes them later."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.domain.billing.order import Order
from devforge.domain.billing.revenue_share import CommissionSchedule


class CommissionRates:
    def __init__(self, schedule: CommissionSchedule, sellers: ExtensionSellers) -> None:
        self._schedule, self._sellers = schedule, sellers

    async def for_order(self, order: Order, at: datetime) -> tuple[int | None, ...]:
        """Per line: the rate for a line sold for a seller, None for the platform's own. A seller
        the marketplace no longer knows counts as joined long ago (no first-days rate)."""
        joined: dict[UUID, datetime] = {}
        rates: list[int | None] = []
        for line in order.lines:
            if line.seller_id is None:
                rates.append(None)
                continue
            if line.seller_id not in joined:
                joined[line.seller_id] = await self._sellers.publisher_joined_at(
                    line.seller_id
                ) or datetime.min.replace(tzinfo=at.tzinfo)
            rates.append(self._schedule.commission_bp(line.seller_id, joined[line.seller_id], at))
        return tuple(rates)
