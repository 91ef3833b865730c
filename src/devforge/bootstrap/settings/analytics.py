"""The analytics context's settings: where events are stored (ClickHouse in production, chDB
embedded), the dedup window, the collection limits and the write buffer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Self

import msgspec

from devforge.bootstrap.settings.section import Profile, Section, SettingsError
from devforge.domain.analytics.ingestion import IngestionLimits

_DATABASE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class AnalyticsSettings(Section, frozen=True, kw_only=True):
    SECRETS = frozenset({"clickhouse_password"})

    analytics_store: Literal["auto", "chdb", "clickhouse"] = "auto"
    """``auto``: ClickHouse in production (its URL and user must then be set, or the process
    refuses to start), chDB in embedded. Production may run on chDB only when this says so."""
    analytics_data_dir: str = ""
    """chDB's data; empty: ``<data dir>/analytics``."""
    analytics_chdb_process: bool = True
    """chDB in one child process started at the first statement (``chdb_process.py``): its
    ~250 MiB stay out of the serving process. ``false``: in the process itself (tests)."""
    clickhouse_url: str = ""
    """``http(s)://host:8123`` of the ClickHouse server (or its load balancer)."""
    clickhouse_user: str = ""
    clickhouse_password: str = ""
    clickhouse_database: str = "analytics"
    clickhouse_timeout_seconds: float = 10.0
    analytics_retention_days: int = 730
    """Events older than this are dropped by the table's TTL (opt-outs and identity links are kept)."""
    analytics_dedup: Literal["auto", "in_process", "redis"] = "auto"
    """Who remembers the uuids of the dedup window: Redis in production (shared by the API
    processes), the process itself in embedded."""
    analytics_dedup_timeout_seconds: float = 5.0
    """How long one batch's claim may wait for Redis before the batch is refused with 503."""
    analytics_dedup_window_seconds: int = 86_400
    """A uuid sent again within this is answered ``duplicate`` and not stored again (Segment's
    24 hours). Later, the table's ReplacingMergeTree still stores it once per day and name."""
    analytics_max_batch_events: int = 1000
    analytics_max_event_bytes: int = 32 * 1024
    analytics_max_batch_bytes: int = 500 * 1024
    analytics_max_properties_depth: int = 8
    analytics_max_future_seconds: int = 23 * 3600
    """A corrected timestamp further ahead than this is clamped to now (PostHog's 23 hours)."""
    analytics_flush_events: int = 50_000
    """The write buffer's scale: a process holds at most three times this many accepted events
    (the API job writes them every ``analytics_flush_seconds``; past that, while the store is
    behind, batches are refused with 503 and Retry-After rather than wait)."""
    analytics_live: Literal["auto", "in_process", "redis"] = "auto"
    """Where the live counters (``GET /api/analytics/live``) are kept: Redis in production (every
    process adds to them and every process's streams read them), the process itself in embedded."""
    analytics_live_publish_seconds: float = 0.1
    """How often an API process hands what it counted to the live counters (the streams read
    them as often: an event shows within about a second)."""
    analytics_live_streams_per_user: int = 3
    """Live streams one principal may hold open at once in one API process (429 beyond)."""
    analytics_flush_seconds: float = 1.0
    """The longest an accepted event waits in the buffer (also flushed when the process stops)."""
    analytics_figures_ttl_seconds: float = 60.0
    """How long a metric's series (the dashboard's tiles, ``GET /api/analytics/metrics``) is
    answered from the process's cache before the store is asked again; 0: always asked (callers
    asking at once still share one query)."""
    analytics_figures_max_entries: int = 2000
    """Series one API process keeps in that cache (the least recently read dropped first)."""

    @property
    def limits(self) -> IngestionLimits:
        return IngestionLimits(
            max_events=self.analytics_max_batch_events,
            max_event_bytes=self.analytics_max_event_bytes,
            max_batch_bytes=self.analytics_max_batch_bytes,
            max_depth=self.analytics_max_properties_depth,
        )

    @property
    def data_path(self) -> Path:
        return Path(self.analytics_data_dir)

    def resolved(self, profile: Profile, data_path: Path) -> Self:
        production = profile == "production"
        store = self.analytics_store if self.analytics_store != "auto" else "clickhouse" if production else "chdb"
        dedup = self.analytics_dedup if self.analytics_dedup != "auto" else "redis" if production else "in_process"
        live = self.analytics_live if self.analytics_live != "auto" else "redis" if production else "in_process"
        data_dir = self.analytics_data_dir or str(data_path / "analytics")
        return msgspec.structs.replace(
            self, analytics_store=store, analytics_dedup=dedup, analytics_live=live, analytics_data_dir=data_dir
        )

    def check(self, profile: Profile) -> None:
        self.require_positive(
            "clickhouse_timeout_seconds",
            "analytics_dedup_timeout_seconds",
            "analytics_retention_days",
            "analytics_dedup_window_seconds",
            "analytics_max_batch_events",
            "analytics_max_event_bytes",
            "analytics_max_batch_bytes",
            "analytics_max_properties_depth",
            "analytics_flush_events",
            "analytics_flush_seconds",
            "analytics_live_streams_per_user",
            "analytics_live_publish_seconds",
            "analytics_figures_max_entries",
        )
        self.require_not_negative("analytics_max_future_seconds", "analytics_figures_ttl_seconds")
        if self.analytics_max_event_bytes > self.analytics_max_batch_bytes:
            raise SettingsError("DEVFORGE_ANALYTICS_MAX_EVENT_BYTES must not exceed DEVFORGE_ANALYTICS_MAX_BATCH_BYTES")
        if not _DATABASE.match(self.clickhouse_database):
            raise SettingsError("DEVFORGE_CLICKHOUSE_DATABASE must be a plain name (letters, digits, _)")
        if self.clickhouse_url and not self.clickhouse_url.startswith(("http://", "https://")):
            raise SettingsError("DEVFORGE_CLICKHOUSE_URL must be an http:// or https:// URL")
