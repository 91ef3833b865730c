"""The reviewers' queue: passed versions waiting for a decision, the longest waiting first, each
with how long it has waited and what the latest review round found.

Reviewers only (``extensions:review``: an administrator with two-factor). Filters: the least
severity of a finding (``medium``: versions with a finding of medium severity or higher), the
publisher's namespace, and how long a version has waited at least. A reviewer is not shown the
versions of a publisher they belong to: another reviewer decides on those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.marketplace.ports import (
    CheckRecordRepository,
    ExtensionRepository,
    PublisherRepository,
    ReviewQueue,
)
from devforge.domain.marketplace.errors import MarketplaceActionRefused
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import Finding, Severity
from devforge.domain.marketplace.version import ExtensionVersion

READ_AT_MOST = 1000  # passed versions read per request; a longer queue shows its oldest first


@dataclass(frozen=True)
class QueueQuery:
    severity: Severity | None = None  # the least severity of a finding shown
    publisher: str | None = None  # a namespace
    waited_at_least: timedelta | None = None
    limit: int = 50


@dataclass(frozen=True)
class QueuedVersion:
    version: ExtensionVersion
    namespace: str
    extension_name: str
    waiting_since: datetime
    waited: timedelta
    findings: tuple[Finding, ...]  # of the latest round, the most severe first

    @property
    def severity(self) -> str | None:
        """The highest severity found, if anything was."""
        return self.findings[0].severity.value if self.findings else None


class ListReviewQueue:
    def __init__(
        self,
        publishers: PublisherRepository,
        extensions: ExtensionRepository,
        queue: ReviewQueue,
        records: CheckRecordRepository,
        clock: Clock,
    ) -> None:
        self._publishers, self._extensions, self._queue = publishers, extensions, queue
        self._records, self._clock = records, clock

    async def __call__(self, actor: Actor, query: QueueQuery) -> list[QueuedVersion]:
        if not actor.may(MarketplacePermission.EXTENSIONS_REVIEW):
            raise MarketplaceActionRefused("Only marketplace reviewers see the review queue.")
        publisher_id: UUID | None = None
        if query.publisher:
            publisher = await self._publishers.get_by_namespace(query.publisher)
            if publisher is None:
                return []
            publisher_id = publisher.id
        now, found = self._clock.now(), []
        publishers: dict[UUID, Publisher | None] = {}
        for version in await self._queue.awaiting(publisher_id=publisher_id, limit=READ_AT_MOST):
            waited = now - version.waiting_since
            if query.waited_at_least is not None and waited < query.waited_at_least:
                continue
            if version.publisher_id not in publishers:
                publishers[version.publisher_id] = await self._publishers.get(version.publisher_id)
            publisher = publishers[version.publisher_id]
            extension = await self._extensions.get(version.extension_id)
            if publisher is None or extension is None or extension.deleted or publisher.is_member(actor.user_id):
                continue
            findings = await self._findings(version)
            if query.severity and not any(finding.severity.at_least(query.severity) for finding in findings):
                continue
            found.append(
                QueuedVersion(version, publisher.namespace, extension.name, version.waiting_since, waited, findings)
            )
        found.sort(key=lambda queued: (queued.waiting_since, queued.version.id.int))
        return found[: query.limit]

    async def _findings(self, version: ExtensionVersion) -> tuple[Finding, ...]:
        records = await self._records.list_for_version(version.id)
        latest = [f for record in records if record.review_round == version.review_round for f in record.findings]
        return tuple(sorted(latest, key=lambda finding: finding.severity.rank, reverse=True))
