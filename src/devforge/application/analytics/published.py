"""What analytics publishes: the schemas other contexts decode (notifications mails an alert's
subscribers from ``AnalyticsAlertFiredV1``, a report's from ``ReportRunReadyV1``). Frozen once
published: a change is a new class with the next VERSION beside the old one
(tests/unit/contracts/published_events.json holds each one's fields). Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.common.integration_events import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class AnalyticsAlertFiredV1(IntegrationEvent):
    """An alert rule's breach, once per breach (within its cooldown): ``bucket`` is the hour or
    day observed; ``value`` and ``threshold`` the figure and the bound crossed, as text (whole
    numbers without a point); ``subscribers`` the accounts to tell."""

    NAME = "analytics.alert_fired"
    VERSION = 1
    rule_id: UUID
    rule_name: str
    metric: str
    condition: str
    bucket: datetime
    value: str
    threshold: str
    subscribers: tuple[UUID, ...]


@dataclass(frozen=True, kw_only=True)
class ReportRunReadyV1(IntegrationEvent):
    """A scheduled report's run is ready (its PDF and CSV stored), published once per run.
    ``subscriber_ids``: who subscribed to the report when it was made, to be told."""

    NAME = "analytics.report_run_ready"
    VERSION = 1
    run_id: UUID
    report_key: str
    title: str
    period_start: datetime
    period_end: datetime
    subscriber_ids: tuple[UUID, ...]
