"""The reviewers' queue page over the memory store, through its memory repositories."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.marketplace import (
    InMemoryCheckRecordRepository,
    InMemoryExtensionRepository,
    InMemoryPublisherRepository,
)
from devforge.adapters.memory.store import Tables, detached
from devforge.application.marketplace.review_queue_reader import WaitingVersion
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState


class InMemoryReviewQueueReader:
    def __init__(self, store: Tables) -> None:
        self._versions: dict[UUID, ExtensionVersion] = store.table("marketplace_versions")
        self._records = InMemoryCheckRecordRepository(store)
        self._publishers, self._extensions = InMemoryPublisherRepository(store), InMemoryExtensionRepository(store)

    async def waiting(self, *, namespace: str | None = None, limit: int) -> list[WaitingVersion]:
        publisher_id: UUID | None = None
        if namespace is not None:
            publisher = await self._publishers.get_by_namespace(namespace)
            if publisher is None:
                return []
            publisher_id = publisher.id
        found = []
        waiting = [
            row
            for row in self._versions.values()
            if row.state is ReviewState.PASSED
            and row.deleted_at is None
            and (publisher_id is None or row.publisher_id == publisher_id)
        ]
        waiting.sort(key=lambda row: (row.uploaded_at, row.id.int))
        for version in map(detached, waiting[:limit]):
            publisher = await self._publishers.get(version.publisher_id)
            extension = await self._extensions.get(version.extension_id)
            if publisher is None or extension is None:
                continue
            records = await self._records.list_for_version(version.id)
            findings = tuple(f for r in records if r.review_round == version.review_round for f in r.findings)
            members = frozenset(publisher.members)
            found.append(
                WaitingVersion(version, publisher.namespace, members, extension.name, extension.deleted, findings)
            )
        return found
