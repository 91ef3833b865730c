"""Where analytics meets billing's money: analytics' ``LedgerRevenue`` port (the reconciliation of
its revenue figures), served by billing's published ``SubscriptionLedger``. Only the composition
root sees both contexts."""

from __future__ import annotations

from datetime import datetime

from devforge.application.billing.subscription_ledger import SubscriptionLedger
from devforge.domain.analytics.billings import Charge, GivenBack


class BillingLedgerRevenue:
    def __init__(self, ledger: SubscriptionLedger) -> None:
        self._ledger = ledger

    async def charges(self, start: datetime, end: datetime) -> list[Charge]:
        return [Charge(c.at, c.order_id, c.renewal, c.currency, c.net) for c in await self._ledger.charges(start, end)]

    async def given_back(self, start: datetime, end: datetime) -> list[GivenBack]:
        return [GivenBack(g.at, g.currency, g.amount) for g in await self._ledger.given_back(start, end)]
