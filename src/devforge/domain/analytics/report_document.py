"""What a report run shows: each figure's series over the period, and its total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devforge.domain.analytics.reports import FigureSpec, ReportDefinition, ReportRun


@dataclass(frozen=True, slots=True)
class Figure:
    spec: FigureSpec
    points: tuple[tuple[datetime, float], ...]
    """Every bucket of the period in order, zero where nothing was counted."""
    total: float
    """Over the whole period (distinct ids counted once over it, not summed per bucket)."""


@dataclass(frozen=True, slots=True)
class ReportDocument:
    definition: ReportDefinition
    run: ReportRun
    figures: tuple[Figure, ...]
    made_at: datetime
