"""Extensions: downloads, installs, active installs, uninstalls, ratings. Each is per extension
(``properties.extension_id``), so a developer reads their own."""

from __future__ import annotations

from devforge.application.analytics.metric_catalogue import Metric
from devforge.application.analytics.metric_shapes import Count, average
from devforge.domain.analytics.metrics import EXTENSION_DIMENSION, MetricDefinition, Scope, Unit
from devforge.domain.analytics.queries import Filter, Interval, Measure

_EXTENSION = frozenset({EXTENSION_DIMENSION})
_DOWNLOADS = ("extension_downloaded",)
_CLIENT = frozenset({EXTENSION_DIMENSION, "editor_version", "os"})


def _extension_metric(
    key: str,
    title: str,
    definition: str,
    unit: Unit,
    computation: Count,
    *,
    version: int = 1,
    **more: frozenset[str],
) -> Metric:
    filters = more.get("filters", _EXTENSION)
    return Metric(
        MetricDefinition(
            key=key,
            version=version,
            title=title,
            definition=definition,
            unit=unit,
            intervals=frozenset(Interval),
            filters=filters,
            breakdowns=more.get("breakdowns", filters),
            scope=Scope.EXTENSION,
        ),
        computation,
    )


EXTENSION_METRICS = (
    _extension_metric(
        "extensions.downloads",
        "Downloads",
        "Downloads of an extension's packages (the marketplace's extension_downloaded fact: counted once per "
        "version, client and day, bots left out), installs and updates alike. By version (properties.version) "
        "or by kind (properties.kind: install or update).",
        Unit.EVENTS,
        Count(_DOWNLOADS),
        filters=frozenset({EXTENSION_DIMENSION, "properties.version", "properties.kind"}),
    ),
    _extension_metric(
        "extensions.downloads",
        "Downloads",
        "Downloads of an extension's packages (the marketplace's extension_downloaded fact: counted once per "
        "version, client and day, bots left out), installs and updates alike. By version (properties.version), "
        "by target platform (properties.target_platform: the package's, universal, win32-x64, linux-arm64...) "
        "or by kind (properties.kind: install or update); filter by one and break down by another for "
        "downloads by version and platform. Downloads counted before the marketplace said the platform "
        "(its extension_downloaded version 1) have the platform unknown.",
        Unit.EVENTS,
        Count(_DOWNLOADS),
        version=2,
        filters=frozenset({EXTENSION_DIMENSION, "properties.version", "properties.target_platform", "properties.kind"}),
    ),
    _extension_metric(
        "extensions.installs",
        "Installs",
        "First installs: downloads of kind install (updates left out), once per version, client and day.",
        Unit.EVENTS,
        Count(_DOWNLOADS, where=(Filter("properties.kind", ("install",)),)),
        filters=frozenset({EXTENSION_DIMENSION, "properties.version"}),
    ),
    _extension_metric(
        "extensions.active_installs",
        "Active installs",
        "Distinct editor installs that used the extension in the bucket: sent an extension_used event naming it "
        "(properties.extension_id). An install counts once per bucket however often it used it.",
        Unit.INSTALLS,
        Count(("extension_used",), Measure.DISTINCT_IDS),
        filters=_CLIENT,
    ),
    _extension_metric(
        "extensions.uninstalls",
        "Uninstalls",
        "Uninstalls the editors reported: extension_uninstalled events naming the extension (properties.extension_id).",
        Unit.EVENTS,
        Count(("extension_uninstalled",)),
        filters=_CLIENT,
    ),
    Metric(
        MetricDefinition(
            key="extensions.rating_trend",
            version=1,
            title="Rating trend",
            definition=(
                "The mean of the stars (1 to 5) of the ratings written or edited in the bucket (the marketplace's "
                "rating_written fact); buckets without a rating are absent. Not the listing's average, which counts "
                "every standing rating once: this shows how ratings move."
            ),
            unit=Unit.STARS,
            intervals=frozenset(Interval),
            filters=_EXTENSION,
            breakdowns=_EXTENSION,
            scope=Scope.EXTENSION,
        ),
        average(("extension_rated",), "properties.stars"),
    ),
)
