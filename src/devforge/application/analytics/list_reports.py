"""``GET /api/analytics/reports``: every report definition, its latest runs, and whether the
caller subscribes to it (``analytics:read``). Plain reads of committed data (``ReportListing``:
no unit of work); the runs do not depend on who asks, so callers asking at once for the same
number of runs share one reading (``ReportListReadings``), after their permission is checked."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.analytics.ports import ReportListing
from devforge.application.common.actor import Actor
from devforge.application.common.shared_readings import SharedReadings
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.reports import REPORTS, ReportDefinition, ReportRun
from devforge.domain.shared.errors import NotPermitted

MAX_RUNS = 24


@dataclass(frozen=True, slots=True)
class ReportView:
    definition: ReportDefinition
    runs: list[ReportRun]
    subscribed: bool


class ReportListReadings(SharedReadings):
    """One per process: the reports' runs being read now."""


class ListReports:
    def __init__(self, listing: ReportListing, readings: ReportListReadings) -> None:
        self._listing, self._readings = listing, readings

    async def __call__(self, actor: Actor, runs: int = 12) -> list[ReportView]:
        if not actor.may(AnalyticsPermission.READ):
            raise NotPermitted("Only analytics readers see reports.")
        limit = min(max(runs, 1), MAX_RUNS)
        latest = await self._readings.run(("report_runs", limit), lambda: self._listing.latest_runs(limit))
        mine = await self._listing.subscribed(actor.user_id)
        return [ReportView(each, list(latest.get(each.key, ())), each.key in mine) for each in REPORTS]
