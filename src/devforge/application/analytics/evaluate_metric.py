"""The one way to read a figure: metric M over range R at interval I with filters F for actor P.

Who sees what: ``analytics:read`` (admins and analysts) reads every metric as asked. Anyone
else (a developer, through ``analytics:own``) reads only metrics of an extension or publisher
scope, narrowed to the extensions or publishers they are in (the marketplace's published read,
``FigureOwners``): naming another developer's extension is answered as if it did not exist
(404), and so is a business-wide metric. Limits: at most ``max_buckets`` buckets, at most
``max_series`` series of a breakdown (the largest kept, the rest counted as ``omitted_series``),
and ``budget_seconds`` per query, enforced by the engine and around it (``QueryOverBudget``:
422 naming ``range``, never a hang).

Answers come through the process's ``FigureCache``: the same series for the same scope within its
TTL is not asked of the store again, and callers asking it at once share one query. Each series
says when it was computed (``computed_at``)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.analytics.figure_cache import FigureCache
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
    computed_at: datetime | None = None
    """When the store answered (the answer may be this old: ``FigureCache``); None: not asked."""


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
        self,
        catalogue: MetricCatalogue,
        store: AnalyticsStore,
        owners: FigureOwners,
        limits: MetricLimits,
        figures: FigureCache,
    ) -> None:
        self._catalogue, self._store, self._owners, self._limits = catalogue, store, owners, limits
        self._figures = figures

    async def __call__(
        self, actor: Actor, request: MetricRequest, owned: frozenset[UUID] | None = None
    ) -> MetricSeries:
        """``owned``: the developer's own extensions or publishers, when the caller (the
        dashboard, for many metrics at once) has read them already for this scope."""
        metric = self._catalogue.get(request.key, request.version)
        if metric is None or not readable(actor, metric.definition):
            raise MetricNotFound(f"No metric {request.key!r} (version {request.version or 'newest'}).", field="metric")
        self._check(metric.definition, request)
        narrowed = await self._narrowed(actor, metric.definition, request.filters, owned)
        if narrowed is None:  # a developer with nothing of their own: no figures, not an error
            return self._series(metric, request, [], None)
        filters, scope = narrowed
        window = MetricWindow(
            request.start, request.end, request.interval, filters, request.breakdown, self._limits.budget_seconds
        )
        definition = metric.definition
        key = (definition.key, definition.version, window, scope)  # the window holds range, filters, breakdown

        async def compute() -> list[MetricPoint]:
            try:  # the engine stops at the budget; this is for an engine that does not answer at all
                async with asyncio.timeout(self._limits.budget_seconds * 2 + 1):
                    return await metric.computation(self._store, window)
            except TimeoutError as error:
                raise QueryOverBudget("The query ran past its time budget.", field="range") from error

        answer = await self._figures.get(key, compute)
        return self._series(metric, request, answer.value, answer.computed_at)

    async def owned_by(self, actor: Actor, scope: Scope) -> frozenset[UUID] | None:
        """What the actor's figures of ``scope`` are narrowed to (None: not narrowed, they read all)."""
        if actor.may(AnalyticsPermission.READ) or scope.owner_dimension is None:
            return None
        return await self._owned(actor.user_id, scope)

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
        self, actor: Actor, definition: MetricDefinition, asked: tuple[Filter, ...], known: frozenset[UUID] | None
    ) -> tuple[tuple[Filter, ...], tuple[str, ...]] | None:
        """The filters the store is asked with, and the scope of the answer (the cache's key):
        ``("all",)``, or the developer's own ids, sorted."""
        owner = definition.scope.owner_dimension
        if actor.may(AnalyticsPermission.READ) or owner is None:
            return asked, ("all",)
        ids = known if known is not None else await self._owned(actor.user_id, definition.scope)
        owned = {str(each) for each in ids}
        for each in asked:
            if each.dimension == owner and not set(each.values) <= owned:
                raise MetricNotFound(
                    f"No {definition.scope} {', '.join(sorted(set(each.values) - owned))}.", field="filter"
                )
        if not owned:
            return None
        scope = (str(definition.scope), *sorted(owned))
        return (*asked, Filter(owner, tuple(sorted(owned)))), scope

    async def _owned(self, user_id: UUID, scope: Scope) -> frozenset[UUID]:
        if scope is Scope.EXTENSION:
            return await self._owners.extensions_of(user_id)
        return await self._owners.publishers_of(user_id)

    def _series(
        self, metric: Metric, request: MetricRequest, points: list[MetricPoint], computed_at: datetime | None
    ) -> MetricSeries:
        kept, omitted = _largest_series(points, self._limits.max_series)
        start = bucket_of(request.start, request.interval)
        definition, shape = metric.definition, metric.computation.shape
        return MetricSeries(definition, shape, start, request.end, request.interval, kept, omitted, computed_at)


def _largest_series(points: list[MetricPoint], limit: int) -> tuple[list[MetricPoint], int]:
    totals: dict[str, float] = defaultdict(float)
    for point in points:
        totals[point.breakdown] += point.value
    if len(totals) <= limit:
        return points, 0
    kept = set(sorted(totals, key=lambda split: (-totals[split], split))[:limit])
    return [point for point in points if point.breakdown in kept], len(totals) - limit
