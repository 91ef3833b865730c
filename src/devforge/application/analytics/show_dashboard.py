"""The dashboard: one tile per metric the caller may read, chosen by what they hold. Analysts and
admins (``analytics:read``) see the business: every metric of the catalogue. A developer sees the
extension and publisher metrics, narrowed to their own (``EvaluateMetric`` does the narrowing).
Each tile is the metric's newest version over its recent past at its finest interval among day
(the last 30 days, today so far included), week (12 weeks) and month (12 months)."""

from __future__ import annotations

from datetime import timedelta

from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricRequest, MetricSeries, readable
from devforge.application.analytics.metric_catalogue import MetricCatalogue
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.domain.analytics.queries import Interval, bucket_of

_SPANS = (
    (Interval.DAY, timedelta(days=30)),
    (Interval.WEEK, timedelta(weeks=12)),
    (Interval.MONTH, timedelta(days=365)),
)


class ShowDashboard:
    def __init__(self, catalogue: MetricCatalogue, evaluate: EvaluateMetric, clock: Clock) -> None:
        self._catalogue, self._evaluate, self._clock = catalogue, evaluate, clock

    async def __call__(self, actor: Actor) -> list[MetricSeries]:
        now = self._clock.now()
        end = bucket_of(now, Interval.DAY) + timedelta(days=1)  # whole days: the stores' daily rollups answer them
        tiles = []
        for metric in self._catalogue.current():
            definition = metric.definition
            span = next(((i, s) for i, s in _SPANS if i in definition.intervals), None)
            if span is None or not readable(actor, definition):
                continue
            interval, length = span
            start = bucket_of(end - length, interval)
            tiles.append(await self._evaluate(actor, MetricRequest(definition.key, start, end, interval)))
        return tiles
