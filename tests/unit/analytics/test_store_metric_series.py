"""``StoreMetricSeries``: downloads are counted per day, active editors are distinct client ids
per day (server facts left out), and a day without any is 0, not missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.store_metric_series import StoreMetricSeries
from devforge.domain.analytics.event import AnalyticsEvent, Source
from devforge.domain.analytics.queries import Interval

DAY = datetime(2026, 6, 1, tzinfo=UTC)


def event(name: str, who: str, at: datetime, source: Source = Source.CLIENT) -> AnalyticsEvent:
    return AnalyticsEvent(uuid4(), name, who, at, at, source=source)


async def test_counts_per_day_with_zeros_for_quiet_days() -> None:
    store = InMemoryAnalyticsStore()
    hour = timedelta(hours=1)
    await store.insert(
        [
            event("extension_downloaded", "extension:a", DAY + hour, Source.SERVER),
            event("extension_downloaded", "extension:b", DAY + 2 * hour, Source.SERVER),
            event("extension_downloaded", "extension:a", DAY + timedelta(days=2), Source.SERVER),
            event("app_started", "install-1", DAY + hour),
            event("app_started", "install-1", DAY + 3 * hour),
            event("app_started", "install-2", DAY + timedelta(days=2)),
        ]
    )
    series = StoreMetricSeries(store)
    assert series.knows("extensions.downloads") and not series.knows("revenue.mrr")
    end = DAY + timedelta(days=3)
    assert await series.values("extensions.downloads", DAY, end, Interval.DAY) == [2, 0, 1]
    assert await series.values("users.daily_active", DAY, end, Interval.DAY) == [1, 0, 1]
