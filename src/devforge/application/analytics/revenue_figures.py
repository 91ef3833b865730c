"""The revenue figures of a range of months: MRR, its movements, ARR, ARPA, per currency
(``domain/analytics/revenue_months.py``), and net revenue retention, from the revenue facts
billing published. Admins and analysts (``analytics:read``). Reads only."""

from __future__ import annotations

from datetime import datetime

from devforge.application.analytics.ports import AnalyticsStore
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.revenue_facts import mrr_changes
from devforge.domain.analytics.revenue_months import RevenueMonth, months_between, net_revenue_retention, revenue_months
from devforge.domain.shared.errors import NotPermitted


class RevenueFigures:
    def __init__(self, store: AnalyticsStore) -> None:
        self._store = store

    async def months(self, actor: Actor, first: datetime, last: datetime) -> list[RevenueMonth]:
        """Each month from ``first``'s to ``last``'s, both included."""
        _check(actor)
        changes = mrr_changes(await self._store.revenue_facts())
        return revenue_months(changes, months_between(first, last))

    async def net_revenue_retention(self, actor: Actor, start: datetime, end: datetime, currency: str) -> int | None:
        """Basis points, floored; None when nobody paid in ``currency`` at ``start``."""
        _check(actor)
        return net_revenue_retention(mrr_changes(await self._store.revenue_facts()), start, end, currency)


def _check(actor: Actor) -> None:
    if not actor.may(AnalyticsPermission.READ):
        raise NotPermitted("Only admins and analysts see the platform's revenue.")
