"""What the reviewers' queue page reads, committed and outside any unit of work. The
transactional ``ReviewQueue`` port stays what a review run counts a publisher's approvals with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from devforge.domain.marketplace.review import Finding
from devforge.domain.marketplace.version import ExtensionVersion


@dataclass(frozen=True, slots=True)
class WaitingVersion:
    version: ExtensionVersion
    namespace: str  # its publisher's
    members: frozenset[UUID]  # its publisher's
    extension_name: str
    extension_deleted: bool
    findings: tuple[Finding, ...]  # of its latest review round, in the order they were recorded


class ReviewQueueReader(Protocol):
    """Committed reads for the reviewers' queue (on SQL the common read path: three statements,
    no session, no transaction), whatever the queue's length."""

    async def waiting(self, *, namespace: str | None = None, limit: int) -> list[WaitingVersion]:
        """Passed versions (not deleted) waiting for a decision, of the publisher with this
        namespace or of all, oldest upload first (then by id), at most ``limit``; each with its
        publisher, its extension and the findings of its latest round."""
        ...
