"""The marketplace's signed-in and review pages on the common read path (``read_path.py``): the
ratings of an extension and a member's holdings (the developer's dashboard), as the repositories
read them, without an ORM session or a transaction.

Each statement is compiled once and run on a pooled autocommit connection (on PostgreSQL straight
on asyncpg). A rating read is one statement (whether the extension is live is one more); a
member's holdings are three, each keyed by the member alone: their publishers joined to every
member, those publishers' extensions, those extensions' versions. Rows map through the
repositories' own mapping functions.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, bindparam, func, or_, select

from devforge.adapters.persistence.marketplace import PUBLISHER_COLUMNS, _extension, _record, _version
from devforge.adapters.persistence.marketplace_ratings import _rating
from devforge.adapters.persistence.read_path import ReadPath, Row
from devforge.adapters.persistence.tables.marketplace import (
    marketplace_check_records,
    marketplace_extensions,
    marketplace_publisher_members,
    marketplace_publishers,
    marketplace_versions,
)
from devforge.adapters.persistence.tables.marketplace_reviews import marketplace_ratings
from devforge.application.marketplace.ports import CheckRecord, MemberCatalog
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.rating import Rating, RatingSummary
from devforge.domain.marketplace.version import ExtensionVersion

_extensions, _ratings = marketplace_extensions.c, marketplace_ratings.c
_LIVE = (
    select(_extensions.id)
    .join(marketplace_publishers, marketplace_publishers.c.id == _extensions.publisher_id)
    .where(_extensions.id == bindparam("extension_id"), _extensions.deleted_at.is_(None))
)
_FIND = select(marketplace_ratings).where(
    _ratings.extension_id == bindparam("extension_id"), _ratings.user_id == bindparam("user_id")
)
_SUMMARY = (
    select(_ratings.stars, func.count().label("count"))
    .where(_ratings.extension_id == bindparam("extension_id"))
    .group_by(_ratings.stars)
)
_FIRST_PAGE = (
    select(marketplace_ratings)
    .where(_ratings.extension_id == bindparam("extension_id"))
    .order_by(_ratings.created_at.desc(), _ratings.id.desc())
    .limit(bindparam("limit"))
)
_LATER_PAGE = _FIRST_PAGE.where(
    or_(
        _ratings.created_at < bindparam("after_created_at"),
        and_(_ratings.created_at == bindparam("after_created_at"), _ratings.id < bindparam("after_id")),
    )
)


class SqlaRatingReader:
    def __init__(self, reads: ReadPath) -> None:
        self._live, self._find, self._summary = reads.prepare(_LIVE), reads.prepare(_FIND), reads.prepare(_SUMMARY)
        self._first, self._later = reads.prepare(_FIRST_PAGE), reads.prepare(_LATER_PAGE)

    async def live(self, extension_id: UUID) -> bool:
        return await self._live.row(extension_id=extension_id) is not None

    async def find(self, extension_id: UUID, user_id: UUID) -> Rating | None:
        row = await self._find.row(extension_id=extension_id, user_id=user_id)
        return _rating(row) if row else None

    async def summary(self, extension_id: UUID) -> RatingSummary:
        rows = await self._summary.rows(extension_id=extension_id)
        return RatingSummary.of(row["stars"] for row in rows for _ in range(row["count"]))

    async def page(self, extension_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Rating]:
        if after is None:
            rows = await self._first.rows(extension_id=extension_id, limit=limit)
        else:
            rows = await self._later.rows(
                extension_id=extension_id, limit=limit, after_created_at=after[0], after_id=after[1]
            )
        return [_rating(row) for row in rows]


_MEMBERS = marketplace_publisher_members.c
_HELD = select(_MEMBERS.publisher_id).where(_MEMBERS.user_id == bindparam("user_id"))
_PUBLISHERS = (
    select(marketplace_publishers, _MEMBERS.user_id.label("member_id"))
    .outerjoin(marketplace_publisher_members, _MEMBERS.publisher_id == marketplace_publishers.c.id)
    .where(marketplace_publishers.c.id.in_(_HELD))
    .order_by(marketplace_publishers.c.namespace)
)
_EXTENSIONS = (
    select(marketplace_extensions)
    .where(_extensions.publisher_id.in_(_HELD))
    .order_by(_extensions.created_at, _extensions.id)
)
_VERSIONS = (
    select(marketplace_versions)
    .join(marketplace_extensions, _extensions.id == marketplace_versions.c.extension_id)
    .where(_extensions.publisher_id.in_(_HELD))
    .order_by(marketplace_versions.c.uploaded_at, marketplace_versions.c.id)
)


class SqlaMemberCatalogReader:
    def __init__(self, reads: ReadPath) -> None:
        self._publishers, self._extensions = reads.prepare(_PUBLISHERS), reads.prepare(_EXTENSIONS)
        self._versions = reads.prepare(_VERSIONS)

    async def member_catalog(self, user_id: UUID) -> MemberCatalog:
        members_of: dict[UUID, set[UUID]] = {}
        firsts: dict[UUID, Row] = {}
        for row in await self._publishers.rows(user_id=user_id):
            held = members_of.setdefault(row["id"], set())
            if row["member_id"] is not None:
                held.add(row["member_id"])
            firsts.setdefault(row["id"], row)
        publishers = [
            Publisher(**{name: row[name] for name in PUBLISHER_COLUMNS}, members=members_of[key])
            for key, row in firsts.items()
        ]
        if not publishers:
            return MemberCatalog([], [], {})
        extensions = [_extension(row) for row in await self._extensions.rows(user_id=user_id)]
        versions: dict[UUID, list[ExtensionVersion]] = {extension.id: [] for extension in extensions}
        for row in await self._versions.rows(user_id=user_id):
            versions[row["extension_id"]].append(_version(row))
        return MemberCatalog(publishers, extensions, versions)


_RECORDS = (
    select(marketplace_check_records)
    .where(marketplace_check_records.c.version_id == bindparam("version_id"))
    .order_by(
        marketplace_check_records.c.review_round,
        marketplace_check_records.c.recorded_at,
        marketplace_check_records.c.position,
    )
)


class SqlaCheckRecordReader:
    """A version's checks: one statement."""

    def __init__(self, reads: ReadPath) -> None:
        self._records = reads.prepare(_RECORDS)

    async def for_version(self, version_id: UUID) -> list[CheckRecord]:
        return [_record(row) for row in await self._records.rows(version_id=version_id)]
