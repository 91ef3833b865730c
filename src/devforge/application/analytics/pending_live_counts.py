"""What one API process counted for the live view and has not yet handed to the shared
counters: the ingestion adds to it in memory (no round trip on the request path), and an API job
hands it on every ``analytics_live_publish_seconds`` (``PublishLiveCounts``)."""

from __future__ import annotations

from datetime import datetime

from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.live import LiveTally


class PendingLiveCounts:
    def __init__(self) -> None:
        self._tally = LiveTally()

    def events_taken(self, events: list[AnalyticsEvent], at: datetime) -> None:
        if events:
            self._tally.events_taken({event.distinct_id for event in events}, len(events), at)

    def take(self) -> LiveTally:
        tally, self._tally = self._tally, LiveTally()
        return tally

    def put_back(self, tally: LiveTally, now: datetime) -> None:
        """Counts the shared counters did not take (Redis away): kept for the next hand-over,
        without what has grown too old to be shown."""
        kept = LiveTally()
        kept.add(tally, now)
        kept.add(self._tally, now)
        self._tally = kept
