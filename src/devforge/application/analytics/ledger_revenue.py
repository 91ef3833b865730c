"""What analytics asks of billing's ledger to reconcile its revenue figures: served in bootstrap by
billing's published ``SubscriptionLedger`` (analytics reads none of billing's tables). Plain reads,
``[start, end)`` in UTC, by the postings' moments."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from devforge.domain.analytics.billings import Charge, GivenBack


class LedgerRevenue(Protocol):
    async def charges(self, start: datetime, end: datetime) -> list[Charge]:
        """Each paid period of a subscription the ledger recognised, tax excluded."""
        ...

    async def given_back(self, start: datetime, end: datetime) -> list[GivenBack]:
        """Money given back to buyers (refunds, lost disputes), tax included, per day and currency."""
        ...
