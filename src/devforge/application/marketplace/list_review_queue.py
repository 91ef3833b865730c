"""The reviewers' queue: passed versions waiting for a decision, the longest waiting first, each
with how long it has waited and what the latest review round found.

Reviewers only (``extensions:review``: an administrator with two-factor). Filters: the least
severity of a finding (``medium``: versions with a finding of medium severity or higher), the
publisher's namespace, and how long a version has waited at least. A reviewer is not shown the
versions of a publisher they belong to: another reviewer decides on those. A plain read of committed
data (``ReviewQueueReader``), no unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.marketplace.review_queue_reader import ReviewQueueReader
from devforge.domain.marketplace.errors import MarketplaceActionRefused
from devforge.domain.marketplace.permissions import MarketplacePermission
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
    def __init__(self, reader: ReviewQueueReader, clock: Clock) -> None:
        self._reader, self._clock = reader, clock

    async def __call__(self, actor: Actor, query: QueueQuery) -> list[QueuedVersion]:
        if not actor.may(MarketplacePermission.EXTENSIONS_REVIEW):
            raise MarketplaceActionRefused("Only marketplace reviewers see the review queue.")
        now, found = self._clock.now(), []
        for waiting in await self._reader.waiting(namespace=query.publisher or None, limit=READ_AT_MOST):
            version = waiting.version
            waited = now - version.waiting_since
            if query.waited_at_least is not None and waited < query.waited_at_least:
                continue
            if waiting.extension_deleted or actor.user_id in waiting.members:
                continue
            findings = tuple(sorted(waiting.findings, key=lambda finding: finding.severity.rank, reverse=True))
            if query.severity and not any(finding.severity.at_least(query.severity) for finding in findings):
                continue
            found.append(
                QueuedVersion(
                    version, waiting.namespace, waiting.extension_name, version.waiting_since, waited, findings
                )
            )
        found.sort(key=lambda queued: (queued.waiting_since, queued.version.id.int))
        return found[: query.limit]
