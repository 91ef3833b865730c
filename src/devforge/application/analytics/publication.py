"""Analytics' domain events as it publishes them (``published.py``), written by ``record_events``."""

from __future__ import annotations

from devforge.application.analytics import published
from devforge.application.common.publication import Mirror, Publication
from devforge.domain.analytics import events

PUBLICATION = Publication({events.AlertFired: Mirror(published.AnalyticsAlertFiredV1)})

record_events = PUBLICATION.record
