"""The one way to read a figure: metric M over range R at interval I with filters F for actor P.

Who sees what: ``analytics:read`` (admins and analysts) reads every metric as asked. Anyone
else (a developer, through ``analytics:own``) reads only metrics of an extension or publisher
scope, narrowed to the extensions or publishers they are in (the marketplace's published read,
``FigureOwners``): naming another developer's extension is answered as if it did not exist
(404), and so is a business-wide metric. Limits: at most ``max_buckets`` buckets, at most
``max_series`` series of a breakdown (the largest kept, the rest counted as ``omitted_series``),
and ``budget_seconds`` per query, enforced by the engine and around it (``QueryOverBudget``:
422 naming ``range``, never a hang)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.analytics.metric_catalogue import Metric, MetricCatalogue, MetricPoint, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore, FigureOwners
from devforge.application.common.actor import Actor
from devforge.domain.analytics.errors import MetricNotFound, MetricRequestRefused, QueryOverBudget
from devforge.domain.analytics.metrics import MetricDefinition, Scope
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Filter, Interval, bucket_of, valid_dimension

_BUCKET_SECONDS = {Interval.HOUR: 3600, Interval.DAY: 86400, Interval.WEEK: 7 * 86400, Interval.MONTH: 28 * 86400}


@dataclass(frozen=True, slots=True)
class MetricLimits:
    max_buckets: int = 1000
    max_series: int = 50
    budget_seconds: float = 5.0


@dataclass(frozen=True, slots=True)
class MetricRequest:
    key: str
    start: datetime
    end: datetime
    interval: Interval = Interval.DAY
    filters: tuple[Filter, ...] = ()
    breakdown: str | None = None
    version: int | None = None


@dataclass(frozen=True, slots=True)
class MetricSeries:
    definition: MetricDefinition
    shape: str
    start: datetime
    end: datetime
    interval: Interval
    points: list[MetricPoint]
    omitted_series: int = 0


def asked_filters(texts: Sequence[str]) -> tuple[Filter, ...]:
    """``dimension=value`` each (``properties.extension_id=<uuid>``); values of one dimension are
    alternatives (any of them), different dimensions all apply."""
    values: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        dimension, equals, value = text.partition("=")
        if not equals or not valid_dimension(dimension):
            raise MetricRequestRefused(f"Not a filter: {text[:80]!r} (dimension=value).", field="filter")
        values[dimension].append(value)
    return tuple(Filter(dimension, tuple(found)) for dimension, found in values.items())


def readable(actor: Actor, definition: MetricDefinition) -> bool:
    """Whether the actor may read the metric at all (before any narrowing to their own)."""
    if actor.may(AnalyticsPermission.READ):
        return True
    return actor.may(AnalyticsPermission.OWN) and definition.scope is not Scope.PLATFORM


class EvaluateMetric:
    def __init__(
        self, catalogue: MetricCatalogue, store: AnalyticsStore, owners: FigureOwners, limits: MetricLimits
    ) -> None:
        self._catalogue, self._store, self._owners, self._limits = catalogue, store, owners, limits

    async def __call__(self, actor: Actor, request: MetricRequest) -> MetricSeries:
        metric = self._catalogue.get(request.key, request.version)
        if metric is None or not readable(actor, metric.definition):
            raise MetricNotFound(f"No metric {request.key!r} (version {request.version or 'newest'}).", field="metric")
        self._check(metric.definition, request)
        filters = await self._narrowed(actor, metric.definition, request.filters)
        if filters is None:  # a developer with nothing of their own: no figures, not an error
            return self._series(metric, request, [])
        window = MetricWindow(
            request.start, request.end, request.interval, filters, request.breakdown, self._limits.budget_seconds
        )
        try:  # the engine stops at the budget; this is for an engine that does not answer at all
            async with asyncio.timeout(self._limits.budget_seconds * 2 + 1):
                points = await metric.computation(self._store, window)
        except TimeoutError as error:
            raise QueryOverBudget("The query ran past its time budget.", field="range") from error
        return self._series(metric, request, points)

    def _check(self, definition: MetricDefinition, request: MetricRequest) -> None:
        if request.interval not in definition.intervals:
            allowed = ", ".join(sorted(definition.intervals))
            raise MetricRequestRefused(f"{definition.key} is read by {allowed}.", field="interval")
        if request.end <= request.start:
            raise MetricRequestRefused("The range ends after it starts.", field="range")
        buckets = (request.end - request.start).total_seconds() / _BUCKET_SECONDS[request.interval]
        if buckets > self._limits.max_buckets:
            raise MetricRequestRefused(
                f"At most {self._limits.max_buckets} buckets of a {request.interval}: narrow the range.", field="range"
            )
        for each in request.filters:
            if each.dimension not in definition.filters:
                raise MetricRequestRefused(f"{definition.key} is not filtered by {each.dimension}.", field="filter")
        if request.breakdown is not None and request.breakdown not in definition.breakdowns:
            raise MetricRequestRefused(
                f"{definition.key} is not broken down by {request.breakdown}.", field="breakdown"
            )

    async def _narrowed(
        self, actor: Actor, definition: MetricDefinition, asked: tuple[Filter, ...]
    ) -> tuple[Filter, ...] | None:
        owner = definition.scope.owner_dimension
        if actor.may(AnalyticsPermission.READ) or owner is None:
            return asked
        owned = {str(each) for each in await self._owned(actor.user_id, definition.scope)}
        for each in asked:
            if each.dimension == owner and not set(each.values) <= owned:
                raise MetricNotFound(
                    f"No {definition.scope} {', '.join(sorted(set(each.values) - owned))}.", field="filter"
                )
        return (*asked, Filter(owner, tuple(sorted(owned)))) if owned else None

    async def _owned(self, user_id: UUID, scope: Scope) -> frozenset[UUID]:
        if scope is Scope.EXTENSION:
            return await self._owners.extensions_of(user_id)
        return await self._owners.publishers_of(user_id)

    def _series(self, metric: Metric, request: MetricRequest, points: list[MetricPoint]) -> MetricSeries:
        kept, omitted = _largest_series(points, self._limits.max_series)
        start = bucket_of(request.start, request.interval)
        return MetricSeries(
            metric.definition, metric.computation.shape, start, request.end, request.interval, kept, omitted
        )


def _largest_series(points: list[MetricPoint], limit: int) -> tuple[list[MetricPoint], int]:
    totals: dict[str, float] = defaultdict(float)
    for point in points:
        totals[point.breakdown] += point.value
    if len(totals) <= limit:
        return points, 0
    kept = set(sorted(totals, key=lambda split: (-totals[split], split))[:limit])
    return [point for point in points if point.breakdown in kept], len(totals) - limit
