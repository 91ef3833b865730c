"""``GET /api/analytics/reports``: every report definition, its latest runs, and whether the
caller subscribes to it (``analytics:read``)."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.analytics.ports import ReportRuns, ReportSubscriptions
from devforge.application.common.actor import Actor
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.reports import REPORTS, ReportDefinition, ReportRun
from devforge.domain.shared.errors import NotPermitted

MAX_RUNS = 24


@dataclass(frozen=True, slots=True)
class ReportView:
    definition: ReportDefinition
    runs: list[ReportRun]
    subscribed: bool


class ListReports:
    def __init__(self, runs: ReportRuns, subscriptions: ReportSubscriptions) -> None:
        self._runs, self._subscriptions = runs, subscriptions

    async def __call__(self, actor: Actor, runs: int = 12) -> list[ReportView]:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analytics readers see reports.")
        mine = await self._subscriptions.of_user(actor.user_id)
        limit = min(max(runs, 1), MAX_RUNS)
        return [ReportView(each, await self._runs.latest(each.key, limit), each.key in mine) for each in REPORTS]
