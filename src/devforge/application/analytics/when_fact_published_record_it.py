"""Server-side facts: what the other contexts publish that the figures need (sign-ups, purchases,
renewals, refunds, activations, failed validations, downloads, ratings, submissions, review
verdicts and sellers' earnings), stored as events of
``source = server`` beside the editors' own.

Idempotent: the fact's uuid is the integration event's id and its time the event's, so a
redelivery writes the same row, which the store keeps once (its uuid dedup, see
``AnalyticsStore``). It does not wait in the ingestion buffer: it is written inside its delivery,
so a crash redelivers it rather than losing it. Personal data beyond ids (an email) is left out.

Downloads and money also go to the live counters once stored (``domain/analytics/live.py``). The
live view is best effort: while its counters are away the fact is stored and not counted live,
and a redelivery counts it live again."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import structlog

from devforge.application.analytics.ports import AnalyticsStore, LiveCounters
from devforge.application.billing.published import (
    OrderPaidV1,
    OrderRefundedV1,
    SellerEarningsPostedV1,
    SubscriptionRenewedV1,
)
from devforge.application.common.integration_events import EventEnvelope, IntegrationEvent, UnknownEventVersion
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.application.identity.published import UserRegisteredV1
from devforge.application.licensing.published import LicenseActivatedV1, LicenseValidationFailedV1
from devforge.application.marketplace.published import (
    ExtensionDownloadedV1,
    ExtensionDownloadedV2,
    RatingWrittenV1,
    VersionReviewedV1,
    VersionUploadedV1,
)
from devforge.domain.analytics.event import AnalyticsEvent, Source
from devforge.domain.analytics.live import LiveTally

log = structlog.get_logger(__name__)


def _user(payload: dict[str, Any]) -> str:
    return str(payload["user_id"])


def _extension(payload: dict[str, Any]) -> str:
    return f"extension:{payload['extension_id']}"


def _publisher(payload: dict[str, Any]) -> str:
    return f"publisher:{payload['publisher_id']}"


FACTS: dict[type[IntegrationEvent], tuple[str, Callable[[dict[str, Any]], str]]] = {
    UserRegisteredV1: ("signed_up", _user),
    OrderPaidV1: ("order_paid", _user),
    SubscriptionRenewedV1: ("subscription_renewed", _user),
    OrderRefundedV1: ("order_refunded", _user),
    LicenseActivatedV1: ("license_activated", _user),
    LicenseValidationFailedV1: ("license_validation_failed", _user),
    ExtensionDownloadedV1: ("extension_downloaded", _extension),
    ExtensionDownloadedV2: ("extension_downloaded", _extension),
    RatingWrittenV1: ("extension_rated", _user),
    VersionUploadedV1: ("version_submitted", _extension),
    VersionReviewedV1: ("version_reviewed", _publisher),
    SellerEarningsPostedV1: ("seller_earnings_posted", _publisher),
}
"""Each published schema read, the fact's name, and whose fact it is (the distinct id)."""
_LEFT_OUT = frozenset({"email"})
_UNKNOWN_PLATFORM = {"target_platform": "unknown"}
_UNSAID: dict[type[IntegrationEvent], dict[str, str]] = {ExtensionDownloadedV1: _UNKNOWN_PLATFORM}
"""What an older version did not carry, stored as unknown (a version 1 download's platform)."""


class WhenFactPublishedRecordIt:
    name = "analytics.record_server_fact"
    subscribes_to = tuple(FACTS)

    def __init__(self, store: AnalyticsStore, live: LiveCounters) -> None:
        self._store, self._live = store, live

    async def handle(self, event: EventEnvelope) -> None:
        await self.handle_batch([event])

    async def handle_batch(self, events: Sequence[EventEnvelope]) -> None:
        """Every fact of the batch in one insert, then one live count for them all."""
        facts = [self._fact(event) for event in events]
        await self._store.insert([fact for fact, _ in facts])
        tally = LiveTally()
        for (_, published), event in zip(facts, events, strict=True):
            self._count_live(tally, published, event)
        if tally:
            try:
                await self._live.add(tally)
            except ServiceUnavailable:
                log.warning("live_count_skipped", facts=len(events))

    def _fact(self, event: EventEnvelope) -> tuple[AnalyticsEvent, IntegrationEvent]:
        schema = next((each for each in FACTS if (event.name, event.version) == (each.NAME, each.VERSION)), None)
        if schema is None:
            raise UnknownEventVersion(f"{event.name} v{event.version} is not a fact analytics reads")
        fact_of = schema.decode(event)  # a payload that does not fit its schema is a dead letter, not a fact
        name, whose = FACTS[schema]
        said = {key: value for key, value in event.payload.items() if key not in _LEFT_OUT}
        properties = {**_UNSAID.get(schema, {}), **said}
        user = event.payload.get("user_id")
        fact = AnalyticsEvent(
            uuid=event.event_id,
            event=name,
            distinct_id=whose(event.payload),
            timestamp=event.occurred_at,
            received_at=event.occurred_at,
            properties=json.dumps(properties, sort_keys=True, default=str),
            source=Source.SERVER,
            user_id=UUID(str(user)) if user else None,
        )
        return fact, fact_of

    @staticmethod
    def _count_live(tally: LiveTally, fact: IntegrationEvent, event: EventEnvelope) -> None:
        if isinstance(fact, ExtensionDownloadedV1 | ExtensionDownloadedV2):
            tally.download(event.occurred_at)
        elif isinstance(fact, OrderPaidV1):
            tally.money(fact.currency, fact.total, event.occurred_at)
        elif isinstance(fact, SubscriptionRenewedV1):
            tally.money(fact.currency, fact.amount, event.occurred_at)
        elif isinstance(fact, OrderRefundedV1):
            tally.money(fact.currency, -fact.amount, event.occurred_at)
