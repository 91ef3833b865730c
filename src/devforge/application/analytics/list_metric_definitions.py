"""The catalogue as the caller may read it: every version of every metric they can ask for."""

from __future__ import annotations

from devforge.application.analytics.evaluate_metric import readable
from devforge.application.analytics.metric_catalogue import Metric, MetricCatalogue
from devforge.application.common.actor import Actor


class ListMetricDefinitions:
    def __init__(self, catalogue: MetricCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, actor: Actor) -> list[tuple[Metric, bool]]:
        """Each readable metric version, by key then version, and whether it is the newest (the one read by default)."""
        newest = {id(metric) for metric in self._catalogue.current()}
        return [(m, id(m) in newest) for m in self._catalogue.all() if readable(actor, m.definition)]
