"""The analytics context's ports. None of them is transactional: the analytics store is not the
transactional database, and what it holds is rebuilt from events, never edited in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.analytics.durations import DurationQuery
from devforge.domain.analytics.erasure import Erasure
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.exports import Export, ExportFormat
from devforge.domain.analytics.ingestion_key import IngestionKey
from devforge.domain.analytics.live import LiveFigures, LiveTally
from devforge.domain.analytics.queries import CohortQuery, SeriesPoint, SeriesQuery
from devforge.domain.analytics.report_document import Figure, ReportDocument
from devforge.domain.analytics.reports import ReportDefinition, ReportRun
from devforge.domain.analytics.revenue_facts import RevenueFact


class AnalyticsStore(Protocol):
    """Events on an analytics engine (ClickHouse in production, chDB embedded).

    Rules every adapter keeps (the contract suite, ``tests/integration/analytics/``):
    - ``insert`` takes any number of events at once; an event whose uuid is already stored (on the
      same day, under the same name and distinct id) changes no answer: stored once.
    - ``series`` counts per UTC bucket; buckets without events are absent.
    - opt-outs and identity links are kept apart from events, without the events' retention."""

    async def insert(self, events: Sequence[AnalyticsEvent]) -> None: ...

    async def series(self, query: SeriesQuery) -> list[SeriesPoint]: ...

    async def cohorts(self, query: CohortQuery) -> list[SeriesPoint]:
        """Per cohort bucket: a point ``COHORT_SIZE`` (users who joined then) and points "0".."n"
        (of them, users who returned ``k`` buckets later); absent when 0. Ordered by bucket."""
        ...

    async def durations(self, query: DurationQuery) -> list[SeriesPoint]:
        """Per bucket of each thing's end: the nearest-rank percentile of the whole seconds from
        its first beginning to its first end (``DurationQuery``); absent without any. Ordered by
        bucket then breakdown."""
        ...

    async def count(self, query: SeriesQuery) -> int:
        """The query's total over its whole range (distinct ids counted once over the range)."""
        ...

    async def stored_rows(self) -> int:
        """Rows as stored, before any merge of repeated uuids: what the dedup must keep exact."""
        ...

    async def record_opt_outs(self, distinct_ids: Sequence[str], at: datetime) -> None: ...

    async def opted_out(self, distinct_ids: Sequence[str]) -> set[str]: ...

    async def all_opted_out(self) -> set[str]:
        """Every install that opted out (a small table: the ingestion keeps it in memory)."""
        ...

    async def link(self, links: Sequence[tuple[str, UUID]], at: datetime) -> None:
        """Each ``(distinct_id, user_id)``: the install belongs to the user from now on (stitched
        on sign-in); a later link of the same install wins."""
        ...

    async def user_of(self, distinct_id: str) -> UUID | None: ...

    async def installs_of(self, user_ids: Sequence[UUID]) -> set[str]:
        """The installs whose latest link is to one of these users (stitched to them)."""
        ...

    async def export_events(self, start: datetime, end: datetime, events: Sequence[str], fmt: ExportFormat) -> bytes:
        """Raw events with ``start <= timestamp < end`` of these names (all when empty), oldest
        first, each counted once (as ``count`` counts them), as ``CSVWithNames`` or Parquet written
        by the engine itself (columns: ``EXPORT_COLUMNS``). The memory store writes CSV only."""
        ...

    async def export_series(self, query: SeriesQuery, fmt: ExportFormat) -> bytes:
        """``series(query)`` as CSV (``bucket,breakdown,value``, with a header) or Parquet."""
        ...

    async def erase(self, distinct_ids: Sequence[str], user_ids: Sequence[UUID]) -> int:
        """Delete for good every event of these distinct ids or carrying these user ids, and the
        links of these installs; the number of events erased. Done when it answers (no query
        finds them afterwards)."""
        ...

    async def record_revenue_facts(self, facts: Sequence[RevenueFact]) -> None:
        """Kept apart from events and without their retention (a subscription's MRR needs its
        start however long ago); a uuid kept twice is one fact."""
        ...

    async def revenue_facts(self) -> list[RevenueFact]:
        """Every revenue fact, each uuid once, in no particular order."""
        ...


class EventClaims(Protocol):
    """The dedup window: who stores an event first. ``claim`` answers, for each uuid in order,
    whether this call is the first to claim it within ``window_seconds`` (a uuid twice in one
    call: the first wins). Atomic across processes for the shared adapter (Redis). Raises
    ``ServiceUnavailable`` when it cannot know (the batch is then refused, never stored twice)."""

    async def claim(self, uuids: Sequence[UUID], window_seconds: int) -> list[bool]: ...

    async def release(self, uuids: Sequence[UUID]) -> None:
        """Forget claims whose events were not stored after all, so a resend is taken."""
        ...


class LiveCounters(Protocol):
    """The live counters every process adds to and every process's stream reads (Redis in
    production, the process itself embedded; definitions in ``domain/analytics/live.py``).

    Rules every adapter keeps (``tests/integration/contracts/test_live_counters_contract.py``):
    - what one instance ``add``s, every instance on the same backing ``read``s at once after;
    - ``read(now)`` counts events of the last 60 seconds, installs of the last 5 minutes (each
      once), downloads and revenue of ``now``'s UTC day; older counts are not shown;
    - while the backing is away both raise ``ServiceUnavailable`` (nothing is half added)."""

    async def add(self, tally: LiveTally) -> None: ...

    async def read(self, now: datetime) -> LiveFigures: ...


class LicenseKeyHolders(Protocol):
    """Licensing's published read: who holds the license of this key (active), if anyone."""

    async def holder_of(self, license_key: str) -> UUID | None: ...


class IngestionKeyRepository(Protocol):
    """Transactional (the service's database), like every credential."""

    async def add(self, key: IngestionKey) -> None: ...

    async def get(self, key_id: UUID) -> IngestionKey | None: ...

    async def get_by_digest(self, digest: str) -> IngestionKey | None: ...

    async def update(self, key: IngestionKey) -> None: ...


class ErasureRecords(Protocol):
    """Transactional (the service's database): who erased whom, when. Kept for good."""

    async def add(self, erasure: Erasure) -> None: ...


class AnalyticsAdminReads(Protocol):
    """The administrators' lists: committed reads outside any unit of work (no lock, never the
    caller's uncommitted writes)."""

    async def ingestion_keys(self) -> list[IngestionKey]:
        """Every key, newest first, revoked ones too."""
        ...

    async def erasures(self, limit: int) -> list[Erasure]:
        """Newest first."""
        ...


class FigureOwners(Protocol):
    """The marketplace's published read (served in bootstrap): which extensions and publishers a
    developer's figures cover. A user who is in no publisher owns none."""

    async def extensions_of(self, user_id: UUID) -> frozenset[UUID]: ...

    async def publishers_of(self, user_id: UUID) -> frozenset[UUID]: ...


class ReportRuns(Protocol):
    """Transactional. One run per (report, period): ``claim`` inserts it unless that pair is
    taken (answering whether it did), atomic across workers (a unique key)."""

    async def claim(self, run: ReportRun) -> bool: ...

    async def get(self, run_id: UUID) -> ReportRun | None: ...

    async def of_period(self, report_key: str, period_start: datetime) -> ReportRun | None: ...

    async def latest(self, report_key: str, limit: int) -> list[ReportRun]:
        """Newest period first."""
        ...

    async def replace(self, run: ReportRun, attempt: int) -> bool:
        """Write ``run`` over the stored one if that is still running at ``attempt`` (compare and
        set: of two workers taking over or finishing the same attempt, one wins)."""
        ...


class ReportSubscriptions(Protocol):
    """Transactional. Subscribing twice is subscribing once."""

    async def subscribe(self, report_key: str, user_id: UUID, at: datetime) -> None: ...

    async def unsubscribe(self, report_key: str, user_id: UUID) -> None: ...

    async def subscribers(self, report_key: str) -> list[UUID]: ...

    async def of_user(self, user_id: UUID) -> set[str]:
        """The reports the user subscribes to."""
        ...


class ReportListing(Protocol):
    """Committed reads outside any unit of work, for the reports' page (on SQL the common read
    path: one statement each, no session, no transaction)."""

    async def latest_runs(self, limit: int) -> dict[str, tuple[ReportRun, ...]]:
        """Every report's newest ``limit`` runs, newest period first, by report key (a report
        without runs is left out)."""
        ...

    async def subscribed(self, user_id: UUID) -> set[str]:
        """The reports the user subscribes to."""
        ...


class ReportFigures(Protocol):
    """A report's figures over its period (the metric catalogue, served in bootstrap)."""

    async def figures(self, definition: ReportDefinition, start: datetime, end: datetime) -> list[Figure]: ...


class ReportRenderer(Protocol):
    """Typesets a report, charts and tables, as PDF bytes (CPU-bound: called off the event loop)."""

    def render_pdf(self, document: ReportDocument) -> bytes: ...


class ExportRepository(Protocol):
    """Transactional."""

    async def add(self, export: Export) -> None: ...

    async def get(self, export_id: UUID) -> Export | None: ...

    async def due(self, now: datetime, limit: int) -> list[Export]:
        """Queued, or running past their lease: oldest request first."""
        ...

    async def replace(self, export: Export, attempt: int) -> bool:
        """Write ``export`` if the stored one is still at ``attempt`` and not finished (compare and
        set: of two workers taking the same export, one wins; a worker taken over stops)."""
        ...
