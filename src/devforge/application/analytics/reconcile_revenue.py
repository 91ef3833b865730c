"""Analytics' revenue against billing's ledger over ``[start, end)``: every subscription charge
(net, by its order and renewal) and every month's billed and refunded sums per currency. An empty
answer means they agree to the minor unit. Admins and analysts (``analytics:read``). Reads only.

Both sides are bucketed by their own moments: the fact's (when billing recorded it) and the
posting's (when the ledger did, a worker pass later). A charge recorded in the last seconds of a
month and posted in the next is reported as the two months' differences, never hidden."""

from __future__ import annotations

from datetime import datetime

from devforge.application.analytics.ledger_revenue import LedgerRevenue
from devforge.application.analytics.ports import AnalyticsStore
from devforge.application.common.actor import Actor
from devforge.domain.analytics.billings import Mismatch, mismatches
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.revenue_facts import charges, given_back
from devforge.domain.shared.errors import NotPermitted


class ReconcileRevenue:
    def __init__(self, store: AnalyticsStore, ledger: LedgerRevenue) -> None:
        self._store, self._ledger = store, ledger

    async def __call__(self, actor: Actor, start: datetime, end: datetime) -> list[Mismatch]:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only admins and analysts reconcile the platform's revenue.")
        facts = await self._store.revenue_facts()
        ours = (
            [c for c in charges(facts) if start <= c.at < end],
            [g for g in given_back(facts) if start <= g.at < end],
        )
        ledger = (await self._ledger.charges(start, end), await self._ledger.given_back(start, end))
        return mismatches(ours, ledger)
