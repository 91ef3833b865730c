"""``POST /api/analytics/events``: an editor's batch of events, each answered accepted, duplicate
or rejected (with a reason); the counts add up to the batch.

Order of the rules, per batch: the credential (401), the batch's own limits (count and bytes:
413 naming ``batch``), room in the buffer (503 while the store is behind); then per event: its
size, depth and shape, the corrected time, the opt-outs (an opted-out install's events are
rejected ``opted_out`` and never stored), and last the dedup window (the first claim of a uuid
wins, across processes). Accepted events go to the process's buffer (see ``EventBuffer``), which
an API job writes out every second: no request waits for the store.
The client's address is never stored: only the day's salted hash of it."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.analytics.daily_salt import DailySalt
from devforge.application.analytics.event_buffer import EventBuffer
from devforge.application.analytics.ingestion_credentials import Credential, IngestionCredentials
from devforge.application.analytics.ingestion_policy import IngestionPolicy
from devforge.application.analytics.install_memo import InstallMemo
from devforge.application.analytics.pending_live_counts import PendingLiveCounts
from devforge.application.analytics.ports import AnalyticsStore, EventClaims
from devforge.application.common.clock import Clock
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.domain.analytics.errors import BatchEmpty, BatchTooLarge
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.ingestion import (
    IDENTIFY_EVENT,
    OPT_OUT_EVENT,
    Rejection,
    Verdict,
    batch_too_large,
    corrected_timestamp,
    event_problem,
    valid_name,
)
from devforge.domain.analytics.visitors import visitor_hash


@dataclass(slots=True)
class IncomingEvent:
    """One event as the shell decoded it. ``malformed`` names what did not decode (a missing or
    mistyped field); ``size`` is its JSON's bytes, ``depth`` how deep its properties nest."""

    event: str = ""
    distinct_id: str = ""
    uuid: UUID | None = None
    uuid_text: str = ""
    """As sent, for an event whose uuid did not decode (its answer names it)."""
    timestamp: datetime | None = None
    sent_at: datetime | None = None
    properties: str = "{}"
    editor_version: str = ""
    os: str = ""
    locale: str = ""
    size: int = 0
    depth: int = 0
    malformed: str = ""
    # Not frozen, for speed alone (see AnalyticsEvent).


@dataclass(frozen=True, slots=True)
class IngestBatch:
    events: list[IncomingEvent]
    credential: Credential | None
    size: int
    client_address: str = ""
    sent_at: datetime | None = None
    """The batch's own ``sent_at``, for events that carry none."""


@dataclass(slots=True)
class EventAnswer:
    uuid: str
    status: Verdict
    reason: Rejection | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class IngestAnswer:
    events: list[EventAnswer] = field(default_factory=list)

    def count(self, status: Verdict) -> int:
        return [answer.status for answer in self.events].count(status)


@dataclass(frozen=True, slots=True)
class _Arrival:
    """What every event of one batch shares."""

    now: datetime
    sent_at: datetime | None
    visitor: str
    user_id: UUID | None
    max_future: timedelta
    oldest: datetime
    """Events before it are past the retention (``too_old``)."""


class IngestEvents:
    def __init__(
        self,
        credentials: IngestionCredentials,
        policy: IngestionPolicy,
        claims: EventClaims,
        store: AnalyticsStore,
        buffer: EventBuffer,
        salt: DailySalt,
        installs: InstallMemo,
        live: PendingLiveCounts,
        clock: Clock,
    ) -> None:
        self._credentials, self._policy, self._claims, self._store = credentials, policy, claims, store
        self._buffer, self._salt, self._installs, self._clock = buffer, salt, installs, clock
        self._live = live

    async def __call__(self, batch: IngestBatch) -> IngestAnswer:
        sender = await self._credentials.sender(batch.credential)
        if not batch.events:
            raise BatchEmpty("A batch holds at least one event.", field="batch")
        too_large = batch_too_large(len(batch.events), batch.size, self._policy.limits)
        if too_large:
            raise BatchTooLarge(too_large, field="batch")
        if not self._buffer.has_room_for(len(batch.events)):
            raise ServiceUnavailable("The analytics store (behind: the buffer is full)", retry_after_seconds=2)
        now = self._clock.now()
        visitor = visitor_hash(await self._salt.of(now), batch.client_address) if batch.client_address else ""
        answers: list[EventAnswer | None] = [None] * len(batch.events)
        candidates: list[tuple[int, AnalyticsEvent]] = []
        policy = self._policy
        at = _Arrival(
            now, batch.sent_at, visitor, sender.user_id, timedelta(seconds=policy.max_future_seconds),
            now - timedelta(days=policy.retention_days),
        )  # fmt: skip
        screen = self._screen
        for index, incoming in enumerate(batch.events):
            event_or_answer = screen(incoming, at)
            if type(event_or_answer) is EventAnswer:
                answers[index] = event_or_answer
            else:
                candidates.append((index, event_or_answer))  # type: ignore[arg-type]
        candidates = await self._drop_opted_out(candidates, answers, now)
        self._stitch(candidates, sender.user_id)
        firsts = await self._claim([event.uuid for _, event in candidates])
        accepted = []
        for (index, event), first in zip(candidates, firsts, strict=True):
            if first:
                answers[index] = EventAnswer(str(event.uuid), Verdict.ACCEPTED)
                accepted.append(event)
            else:
                answers[index] = EventAnswer(str(event.uuid), Verdict.DUPLICATE)
        self._buffer.add(accepted)  # written by the API job: the request never waits for the store
        self._live.events_taken(accepted, now)
        return IngestAnswer([answer for answer in answers if answer is not None])

    async def _claim(self, uuids: list[UUID]) -> list[bool]:
        """When the claim cannot be known (Redis away or late), the batch is refused (503) and
        its claims given back if Redis takes them back, so the resend is not lost as a duplicate."""
        try:
            return await self._claims.claim(uuids, self._policy.dedup_window_seconds)
        except ServiceUnavailable:
            with contextlib.suppress(ServiceUnavailable):
                await self._claims.release(uuids)
            raise

    def _screen(self, incoming: IncomingEvent, arrival: _Arrival) -> AnalyticsEvent | EventAnswer:
        """The event as it will be stored, or its rejection (per event: kept to plain calls, as it
        runs tens of thousands of times a second)."""
        too_big = event_problem(incoming.size, incoming.depth, self._policy.limits)
        if too_big:
            return _rejected(incoming, *too_big)
        if incoming.malformed:
            return _rejected(incoming, Rejection.INVALID, incoming.malformed)
        if incoming.uuid is None:
            return _rejected(incoming, Rejection.INVALID, "uuid: a UUID is required")
        if not valid_name(incoming.event):
            return _rejected(incoming, Rejection.INVALID, "event: 1 to 200 characters, no control characters")
        if not valid_name(incoming.distinct_id):
            return _rejected(incoming, Rejection.INVALID, "distinct_id: 1 to 200 characters, no control characters")
        now = arrival.now
        at = corrected_timestamp(incoming.timestamp, incoming.sent_at or arrival.sent_at, now, arrival.max_future)
        if at < arrival.oldest:
            return _rejected(incoming, Rejection.TOO_OLD, f"timestamp: older than {self._policy.retention_days} days")
        return AnalyticsEvent(
            uuid=incoming.uuid,
            event=incoming.event,
            distinct_id=incoming.distinct_id,
            timestamp=at,
            received_at=now,
            properties=incoming.properties,
            editor_version=incoming.editor_version,
            os=incoming.os,
            locale=incoming.locale,
            visitor=arrival.visitor,
            user_id=arrival.user_id,
        )

    async def _drop_opted_out(
        self, candidates: list[tuple[int, AnalyticsEvent]], answers: list[EventAnswer | None], now: datetime
    ) -> list[tuple[int, AnalyticsEvent]]:
        """An ``$opt_out`` is recorded at once (not buffered) and stored without its properties;
        from then on the install's events are rejected, the rest of this batch included."""
        opting = [event.distinct_id for _, event in candidates if event.event == OPT_OUT_EVENT]
        if opting:
            await self._store.record_opt_outs(opting, now)
            self._installs.opted_out(opting)
        out = await self._installs.which_opted_out(
            {event.distinct_id for _, event in candidates if event.event != OPT_OUT_EVENT}, self._store
        )
        if not opting and not out:
            return candidates  # the usual batch: nobody in it opted out
        kept = []
        for index, event in candidates:
            if event.event == OPT_OUT_EVENT:
                kept.append((index, replace(event, properties="{}")))
            elif event.distinct_id in out:
                answers[index] = EventAnswer(str(event.uuid), Verdict.REJECTED, Rejection.OPTED_OUT, "")
            else:
                kept.append((index, event))
        return kept

    def _stitch(self, candidates: list[tuple[int, AnalyticsEvent]], user: UUID | None) -> None:
        """An install is linked to its user once per process: by the license it sends with, or
        by an ``$identify`` event naming ``properties.$user_id``. Links wait in the buffer with the
        events (written before them at the next flush)."""
        links = []
        if user is not None:  # every install of the batch belongs to the license's user
            for distinct_id in dict.fromkeys(event.distinct_id for _, event in candidates):
                if self._installs.first_link(distinct_id, user):
                    links.append((distinct_id, user))
        else:
            for _, event in candidates:
                owner = _identified_user(event) if event.event == IDENTIFY_EVENT else None
                if owner is not None and self._installs.first_link(event.distinct_id, owner):
                    links.append((event.distinct_id, owner))
        self._buffer.add_links(links)


def _rejected(incoming: IncomingEvent, reason: Rejection, detail: str) -> EventAnswer:
    text = incoming.uuid_text or (str(incoming.uuid) if incoming.uuid is not None else "")
    return EventAnswer(text, Verdict.REJECTED, reason, detail)


def _identified_user(event: AnalyticsEvent) -> UUID | None:
    if event.event != IDENTIFY_EVENT:
        return None
    try:
        return UUID(str(json.loads(event.properties).get("$user_id")))
    except (ValueError, AttributeError, TypeError):
        return None
