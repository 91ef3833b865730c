"""The reviewers' queue page on the common read path (``read_path.py``): three statements
whatever the queue's length, no ORM session, no transaction. The waiting versions joined to
their extension and publisher; the members of those publishers; the check records of those
versions' latest rounds. The last two select the waiting versions again as a subquery, so no
list of ids travels (and SQLite's reads stay on the event loop's own connection)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, bindparam, literal_column, select

from devforge.adapters.persistence.marketplace import _record, _version
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.marketplace import (
    marketplace_check_records,
    marketplace_extensions,
    marketplace_publisher_members,
    marketplace_publishers,
    marketplace_versions,
)
from devforge.application.marketplace.review_queue_reader import WaitingVersion
from devforge.domain.marketplace.review import Finding
from devforge.domain.marketplace.version import ReviewState

_VERSIONS, _EXTENSIONS, _PUBLISHERS = marketplace_versions.c, marketplace_extensions.c, marketplace_publishers.c
_MEMBERS, _RECORDS = marketplace_publisher_members.c, marketplace_check_records.c
# Our own constant as an SQL literal: the statement binds only what the caller passes.
_PASSED: ColumnElement[str] = literal_column(f"'{ReviewState.PASSED.value}'")


def _waiting(by_namespace: bool) -> Select[Any]:
    query = (
        select(
            marketplace_versions,
            _EXTENSIONS.name.label("extension_name"),
            _EXTENSIONS.deleted_at.label("extension_deleted_at"),
            _PUBLISHERS.namespace.label("publisher_namespace"),
        )
        .join(marketplace_extensions, _EXTENSIONS.id == _VERSIONS.extension_id)
        .join(marketplace_publishers, _PUBLISHERS.id == _VERSIONS.publisher_id)
        .where(_VERSIONS.state == _PASSED, _VERSIONS.deleted_at.is_(None))
    )
    if by_namespace:
        query = query.where(_PUBLISHERS.namespace == bindparam("namespace"))
    return query.order_by(_VERSIONS.uploaded_at, _VERSIONS.id).limit(bindparam("limit"))


def _members(waiting: Select[Any]) -> Select[Any]:
    publishers = select(waiting.subquery().c.publisher_id)
    return select(_MEMBERS.publisher_id, _MEMBERS.user_id).where(_MEMBERS.publisher_id.in_(publishers))


def _records(waiting: Select[Any]) -> Select[Any]:
    latest = waiting.subquery()
    return (
        select(marketplace_check_records)
        .join(latest, and_(latest.c.id == _RECORDS.version_id, latest.c.review_round == _RECORDS.review_round))
        .order_by(_RECORDS.version_id, _RECORDS.recorded_at, _RECORDS.position)
    )


class _Reads:
    def __init__(self, reads: ReadPath, by_namespace: bool) -> None:
        waiting = _waiting(by_namespace)
        self.waiting, self.members = reads.prepare(waiting), reads.prepare(_members(waiting))
        self.records = reads.prepare(_records(waiting))


class SqlaReviewQueueReader:
    def __init__(self, reads: ReadPath) -> None:
        self._all, self._of_one = _Reads(reads, by_namespace=False), _Reads(reads, by_namespace=True)

    async def waiting(self, *, namespace: str | None = None, limit: int) -> list[WaitingVersion]:
        reads = self._all if namespace is None else self._of_one
        params: dict[str, Any] = {"limit": limit} | ({} if namespace is None else {"namespace": namespace})
        rows = await reads.waiting.rows(**params)
        if not rows:
            return []
        members: dict[UUID, set[UUID]] = {}
        for row in await reads.members.rows(**params):
            members.setdefault(row["publisher_id"], set()).add(row["user_id"])
        findings: dict[UUID, list[Finding]] = {}
        for row in await reads.records.rows(**params):
            findings.setdefault(row["version_id"], []).extend(_record(row).findings)
        return [
            WaitingVersion(
                _version(row),
                row["publisher_namespace"],
                frozenset(members.get(row["publisher_id"], ())),
                row["extension_name"],
                row["extension_deleted_at"] is not None,
                tuple(findings.get(row["id"], ())),
            )
            for row in rows
        ]
