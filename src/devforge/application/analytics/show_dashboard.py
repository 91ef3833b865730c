"""The dashboard: one tile per metric the caller may read, chosen by what they hold. Analysts and
admins (``analytics:read``) see the business: every metric of the catalogue. A developer sees the
extension and publisher metrics, narrowed to their own (``EvaluateMetric`` does the narrowing;
their own extensions and publishers are read once per dashboard, not once per tile).
Each tile is the metric's newest version over its recent past at its finest interval among day
(the last 30 days, today so far included), week (12 weeks) and month (12 months). The tiles are
evaluated at once (each through the ``FigureCache``, so a busy minute's dashboards share the
store's answers); the dashboard says when its oldest figure was computed (``as_of``).

Dashboards asked at once share one reading (``DashboardReadings``), keyed by what the caller may
see: every ``analytics:read`` holder sees the same business dashboard (``all``), a developer only
their own (their user id), so nobody joins a reading of figures they may not see."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricRequest, MetricSeries, readable
from devforge.application.analytics.figure_cache import FigureCache
from devforge.application.analytics.metric_catalogue import MetricCatalogue
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.shared_readings import SharedReadings
from devforge.domain.analytics.metrics import Scope
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval, bucket_of

_SPANS = (
    (Interval.DAY, timedelta(days=30)),
    (Interval.WEEK, timedelta(weeks=12)),
    (Interval.MONTH, timedelta(days=365)),
)


@dataclass(frozen=True, slots=True)
class Dashboard:
    tiles: tuple[MetricSeries, ...]
    as_of: datetime
    """When the oldest tile's figures were computed (now, when none was asked of the store)."""
    max_age_seconds: float
    """How old a figure may be (the cache's TTL)."""


class DashboardReadings(SharedReadings):
    """One per process: the analytics dashboards being read now."""


class ShowDashboard:
    def __init__(
        self,
        catalogue: MetricCatalogue,
        evaluate: EvaluateMetric,
        figures: FigureCache,
        clock: Clock,
        readings: DashboardReadings,
    ) -> None:
        self._catalogue, self._evaluate, self._figures, self._clock = catalogue, evaluate, figures, clock
        self._readings = readings

    async def __call__(self, actor: Actor) -> Dashboard:
        now = self._clock.now()
        end = bucket_of(now, Interval.DAY) + timedelta(days=1)  # whole days: the stores' daily rollups answer them
        whose = "all" if actor.may(AnalyticsPermission.READ) else actor.user_id
        return await self._readings.run(("analytics_dashboard", whose, end), lambda: self._read(actor, now, end))

    async def _read(self, actor: Actor, now: datetime, end: datetime) -> Dashboard:
        owned: dict[Scope, frozenset[UUID] | None] = {}
        asked = []
        for metric in self._catalogue.current():
            definition = metric.definition
            span = next(((i, s) for i, s in _SPANS if i in definition.intervals), None)
            if span is None or not readable(actor, definition):
                continue
            if definition.scope not in owned:
                owned[definition.scope] = await self._evaluate.owned_by(actor, definition.scope)
            interval, length = span
            request = MetricRequest(definition.key, bucket_of(end - length, interval), end, interval)
            asked.append(self._evaluate(actor, request, owned[definition.scope]))
        tiles = tuple(await asyncio.gather(*asked))
        computed = [tile.computed_at for tile in tiles if tile.computed_at is not None]
        return Dashboard(tiles, min(computed, default=now), self._figures.ttl_seconds)
