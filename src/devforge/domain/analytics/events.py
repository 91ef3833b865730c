"""Analytics' domain events (published as ``application/analytics/published.py`` says)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class AlertFired(DomainEvent):
    """An alert rule's breach, once (see ``alerts.py``): the value and the bound as the mail shows
    them, and who is to be told."""

    rule_id: UUID
    rule_name: str
    metric: str
    condition: str
    bucket: datetime
    value: str
    threshold: str
    subscribers: tuple[UUID, ...]
