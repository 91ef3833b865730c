"""The metric catalogue: every figure the platform reports, each a written, versioned definition
(``MetricDefinition``) and how it is computed over the analytics store (a ``Computation``).

**How a context adds a metric.** Its module in ``bootstrap/contexts/`` lists ``Metric``s in
``metrics=``, like its consumers; ``Contexts.metric_catalogue()`` gathers every context's into
the one ``MetricCatalogue`` the container provides (APP scope). A metric is a definition plus a
computation, usually one of the shapes in ``metric_shapes`` over the facts the context's events
become in the store (``WhenFactPublishedRecordIt`` records them; add the event there first)::

    Metric(
        MetricDefinition(
            key="support.tickets_opened", version=1, title="Tickets opened",
            definition="Support tickets opened in the bucket (support's ticket_opened fact).",
            unit=Unit.EVENTS, intervals=frozenset(Interval), breakdowns=frozenset({"properties.channel"}),
        ),
        Count(("ticket_opened",)),
    )

A shape that none of ``metric_shapes`` answers is a class of its own with the ``Computation``
signature. To change a metric, add the next version beside the old one (both stay readable);
``tests/unit/contracts/metric_definitions.json`` refuses a stored definition that changed.

**How to read one**: ``EvaluateMetric`` (``evaluate_metric.py``) is the one entry point:
``await evaluate(actor, MetricRequest(key, start, end, interval, filters, breakdown))`` answers
a ``MetricSeries`` with who-sees-what, the limits and the time budget applied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.metrics import MetricDefinition
from devforge.domain.analytics.queries import Filter, Interval


@dataclass(frozen=True, slots=True)
class MetricWindow:
    """What a computation is asked: the range (``start <= t < end``), its buckets, the filters
    (the caller's and, for a developer, their own extensions or publishers), one breakdown at
    most, and the seconds the store may spend on each query (``budget_seconds``)."""

    start: datetime
    end: datetime
    interval: Interval
    filters: tuple[Filter, ...] = ()
    breakdown: str | None = None
    budget_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class MetricPoint:
    """One bucket's value (``breakdown`` is "" without a breakdown). An int for counts and money,
    a float for ratios and averages."""

    bucket: datetime
    value: int | float
    breakdown: str = ""


class Computation(Protocol):
    """How a metric is computed: one or more store queries over the window."""

    @property
    def shape(self) -> str:
        """The computation in words and names (``count of events extension_downloaded``):
        listed with the definition and fingerprinted with its version."""
        ...

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]: ...


@dataclass(frozen=True, slots=True)
class Metric:
    definition: MetricDefinition
    computation: Computation


class MetricCatalogue:
    """Every metric by key and version. A (key, version) is registered once; the newest version
    of a key is the one read unless a caller names another."""

    def __init__(self, metrics: Iterable[Metric] = ()) -> None:
        self._versions: dict[str, dict[int, Metric]] = {}
        for metric in metrics:
            self.add(metric)

    def add(self, metric: Metric) -> None:
        versions = self._versions.setdefault(metric.definition.key, {})
        if metric.definition.version in versions:
            raise ValueError(f"{metric.definition.key} version {metric.definition.version} is registered twice")
        versions[metric.definition.version] = metric

    def get(self, key: str, version: int | None = None) -> Metric | None:
        """The newest version, or ``version``; None when there is no such metric or version."""
        versions = self._versions.get(key)
        if not versions:
            return None
        return versions.get(max(versions) if version is None else version)

    def versions(self, key: str) -> list[Metric]:
        """Oldest first."""
        return [metric for _, metric in sorted(self._versions.get(key, {}).items())]

    def current(self) -> list[Metric]:
        """The newest version of every metric, by key."""
        return [versions[max(versions)] for _, versions in sorted(self._versions.items())]

    def all(self) -> list[Metric]:
        """Every version of every metric, by key then version."""
        return [metric for key in sorted(self._versions) for metric in self.versions(key)]
