"""The settings the ingestion reads, as plain values (the composition root fills them in)."""

from __future__ import annotations

from dataclasses import dataclass, field

from devforge.domain.analytics.ingestion import IngestionLimits


@dataclass(frozen=True, slots=True)
class IngestionPolicy:
    limits: IngestionLimits = field(default_factory=IngestionLimits)
    dedup_window_seconds: int = 86_400
    max_future_seconds: int = 23 * 3600
    retention_days: int = 730
