"""``CatalogueMetricSeries``: forecasts and alerts read the catalogue's own figures: downloads
counted per day, active people per day, a day without any is 0, not missing; money (per
currency) and intervals a metric is not read by are not offered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.catalogue_metric_series import CatalogueMetricSeries
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.event import AnalyticsEvent, Source
from devforge.domain.analytics.queries import Interval

DAY = datetime(2026, 6, 1, tzinfo=UTC)


def event(name: str, who: str, at: datetime, source: Source = Source.CLIENT) -> AnalyticsEvent:
    return AnalyticsEvent(uuid4(), name, who, at, at, source=source)


async def test_the_catalogues_figures_per_day_with_zeros_for_quiet_days() -> None:
    store = InMemoryAnalyticsStore()
    hour = timedelta(hours=1)
    await store.insert(
        [
            event("extension_downloaded", "extension:a", DAY + hour, Source.SERVER),
            event("extension_downloaded", "extension:b", DAY + 2 * hour, Source.SERVER),
            event("extension_downloaded", "extension:a", DAY + timedelta(days=2), Source.SERVER),
            event("app_started", "install-1", DAY + hour),
            event("app_started", "install-1", DAY + 3 * hour),
            event("signed_up", "user-9", DAY + hour, Source.SERVER),
            event("app_started", "install-2", DAY + timedelta(days=2)),
        ]
    )
    series = CatalogueMetricSeries(CONTEXTS.metric_catalogue(), store)
    assert series.knows("extensions.downloads", Interval.HOUR) and series.knows("users.daily_active")
    assert not series.knows("users.daily_active", Interval.HOUR)  # read by the day only
    assert not series.knows("revenue.mrr")  # per currency, by the month
    assert not series.knows("users.nonexistent")
    end = DAY + timedelta(days=3)
    assert await series.values("extensions.downloads", DAY, end, Interval.DAY) == [2, 0, 1]
    assert await series.values("users.daily_active", DAY, end, Interval.DAY) == [1, 0, 1]
