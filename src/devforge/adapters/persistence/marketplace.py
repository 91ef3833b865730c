"""Marketplace tables <-> publishers, extensions, versions and check records."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace import (
    marketplace_check_records,
    marketplace_extensions,
    marketplace_publisher_members,
    marketplace_publishers,
    marketplace_versions,
)
from devforge.application.marketplace.ports import CheckRecord
from devforge.domain.marketplace.errors import NameSquatted, VersionSlotTaken
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import CheckOutcome, Finding, Severity
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState, Transition

PUBLISHER_COLUMNS = (
    "id",
    "namespace",
    "display_name",
    "owner_id",
    "contact_email",
    "domain",
    "verification_token",
    "verified_at",
    "created_at",
)


class SqlaPublisherRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, publisher: Publisher) -> None:
        try:
            await self._session.execute(insert(marketplace_publishers).values(_publisher_row(publisher)))
        except IntegrityError as clash:
            raise NameSquatted(
                "This namespace is taken.", collides_with=publisher.namespace, field="namespace"
            ) from clash
        await self._save_members(publisher)

    async def get(self, publisher_id: UUID, *, for_update: bool = False) -> Publisher | None:
        query = select(marketplace_publishers).where(marketplace_publishers.c.id == publisher_id)
        return await self._one(query.with_for_update() if for_update else query)

    async def get_by_namespace(self, namespace: str) -> Publisher | None:
        return await self._one(select(marketplace_publishers).where(marketplace_publishers.c.namespace == namespace))

    async def names(self) -> list[str]:
        query = select(marketplace_publishers.c.namespace, marketplace_publishers.c.display_name)
        rows = (await self._session.execute(query)).all()
        return sorted({name for row in rows for name in row})

    async def list_for_member(self, user_id: UUID) -> list[Publisher]:
        members = select(marketplace_publisher_members.c.publisher_id).where(
            marketplace_publisher_members.c.user_id == user_id
        )
        query = (
            select(marketplace_publishers)
            .where(marketplace_publishers.c.id.in_(members))
            .order_by(marketplace_publishers.c.namespace)
        )
        rows = (await self._session.execute(query)).mappings().all()
        # every publisher's members in one more statement, not one per publisher
        members_of: dict[UUID, set[UUID]] = {row["id"]: set() for row in rows}
        if members_of:
            held = select(marketplace_publisher_members).where(
                marketplace_publisher_members.c.publisher_id.in_(list(members_of))
            )
            for member in (await self._session.execute(held)).mappings():
                members_of[member["publisher_id"]].add(member["user_id"])
        return [Publisher(**dict(row), members=members_of[row["id"]]) for row in rows]

    async def update(self, publisher: Publisher) -> None:
        row = _publisher_row(publisher)
        await self._session.execute(
            update(marketplace_publishers).where(marketplace_publishers.c.id == publisher.id).values(row)
        )
        await self._session.execute(
            delete(marketplace_publisher_members).where(marketplace_publisher_members.c.publisher_id == publisher.id)
        )
        await self._save_members(publisher)

    async def _one(self, query: Any) -> Publisher | None:
        row = (await self._session.execute(query)).mappings().first()
        return await self._publisher(row) if row else None

    async def _publisher(self, row: Any) -> Publisher:
        query = select(marketplace_publisher_members.c.user_id).where(
            marketplace_publisher_members.c.publisher_id == row["id"]
        )
        members = set((await self._session.execute(query)).scalars())
        return Publisher(**dict(row), members=members)

    async def _save_members(self, publisher: Publisher) -> None:
        rows = [{"publisher_id": publisher.id, "user_id": user_id} for user_id in sorted(publisher.members, key=str)]
        await self._session.execute(insert(marketplace_publisher_members), rows)


def _publisher_row(publisher: Publisher) -> dict[str, Any]:
    return {name: getattr(publisher, name) for name in PUBLISHER_COLUMNS}


EXTENSION_COLUMNS = (
    "id",
    "publisher_id",
    "name",
    "display_name",
    "description",
    "created_at",
    "updated_at",
    "deleted_at",
    "deprecation",
    "replacement",
    "license_product_id",
)


class SqlaExtensionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, extension: Extension) -> None:
        try:
            await self._session.execute(insert(marketplace_extensions).values(_extension_row(extension)))
        except IntegrityError as clash:
            raise NameSquatted("This extension name is taken.", collides_with=extension.name, field="name") from clash

    async def get(self, extension_id: UUID, *, for_update: bool = False) -> Extension | None:
        query = select(marketplace_extensions).where(marketplace_extensions.c.id == extension_id)
        row = (await self._session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return _extension(row) if row else None

    async def names(self, *, excluding: UUID | None = None) -> list[str]:
        query = select(marketplace_extensions.c.name)
        if excluding is not None:
            query = query.where(marketplace_extensions.c.id != excluding)
        return sorted((await self._session.execute(query)).scalars())

    async def list_for_publishers(self, publisher_ids: list[UUID]) -> list[Extension]:
        query = (
            select(marketplace_extensions)
            .where(marketplace_extensions.c.publisher_id.in_(publisher_ids))
            .order_by(marketplace_extensions.c.created_at, marketplace_extensions.c.id)
        )
        return [_extension(row) for row in (await self._session.execute(query)).mappings()]

    async def ids(self, *, after: UUID | None, limit: int) -> list[UUID]:
        query = select(marketplace_extensions.c.id).order_by(marketplace_extensions.c.id).limit(limit)
        if after is not None:
            query = query.where(marketplace_extensions.c.id > after)
        return list((await self._session.execute(query)).scalars())

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(marketplace_extensions)) or 0)

    async def update(self, extension: Extension) -> None:
        await self._session.execute(
            update(marketplace_extensions)
            .where(marketplace_extensions.c.id == extension.id)
            .values(_extension_row(extension))
        )


def _extension_row(extension: Extension) -> dict[str, Any]:
    row = {name: getattr(extension, name) for name in EXTENSION_COLUMNS}
    return row | {"tags": list(extension.tags), "categories": list(extension.categories)}


def _extension(row: Any) -> Extension:
    values = dict(row)
    return Extension(**values | {"tags": tuple(values["tags"]), "categories": tuple(values["categories"])})


VERSION_COLUMNS = (
    "id",
    "extension_id",
    "publisher_id",
    "version",
    "target_platform",
    "archive_key",
    "size",
    "sha256",
    "uploaded_by",
    "uploaded_at",
    "review_round",
    "signature",
    "signing_key_id",
    "manifest",
    "manifest_signature",
    "engine_range",
    "deleted_at",
    "yanked_at",
    "yank_reason",
    "pre_release",
    "published_at",
)


class SqlaVersionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, version: ExtensionVersion) -> None:
        try:
            await self._session.execute(insert(marketplace_versions).values(_version_row(version)))
        except IntegrityError as clash:
            raise VersionSlotTaken("This version was uploaded before.", field="version") from clash

    async def get(self, version_id: UUID, *, for_update: bool = False) -> ExtensionVersion | None:
        query = select(marketplace_versions).where(marketplace_versions.c.id == version_id)
        row = (await self._session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return _version(row) if row else None

    async def find(self, extension_id: UUID, version: str, target_platform: str) -> ExtensionVersion | None:
        columns = marketplace_versions.c
        query = select(marketplace_versions).where(
            columns.extension_id == extension_id, columns.version == version, columns.target_platform == target_platform
        )
        row = (await self._session.execute(query)).mappings().first()
        return _version(row) if row else None

    async def list_for_extension(self, extension_id: UUID) -> list[ExtensionVersion]:
        query = (
            select(marketplace_versions)
            .where(marketplace_versions.c.extension_id == extension_id)
            .order_by(marketplace_versions.c.uploaded_at, marketplace_versions.c.id)
        )
        return [_version(row) for row in (await self._session.execute(query)).mappings()]

    async def list_for_extensions(self, extension_ids: list[UUID]) -> dict[UUID, list[ExtensionVersion]]:
        found: dict[UUID, list[ExtensionVersion]] = {extension_id: [] for extension_id in extension_ids}
        if not found:
            return found
        query = (
            select(marketplace_versions)
            .where(marketplace_versions.c.extension_id.in_(list(found)))
            .order_by(marketplace_versions.c.uploaded_at, marketplace_versions.c.id)
        )
        for row in (await self._session.execute(query)).mappings():
            found[row["extension_id"]].append(_version(row))
        return found

    async def update(self, version: ExtensionVersion) -> None:
        await self._session.execute(
            update(marketplace_versions).where(marketplace_versions.c.id == version.id).values(_version_row(version))
        )


def _version_row(version: ExtensionVersion) -> dict[str, Any]:
    row = {name: getattr(version, name) for name in VERSION_COLUMNS}
    history = [
        {
            "from": step.from_state.value,
            "to": step.to_state.value,
            "at": step.at.isoformat(),
            "reason": step.reason,
            "actor_id": str(step.actor_id) if step.actor_id else None,
        }
        for step in version.history
    ]
    return row | {"state": version.state.value, "history": history}


def _version(row: Any) -> ExtensionVersion:
    values = {name: row[name] for name in VERSION_COLUMNS}
    history = [
        Transition(
            ReviewState(step["from"]),
            ReviewState(step["to"]),
            datetime.fromisoformat(step["at"]),
            step["reason"],
            UUID(step["actor_id"]) if step["actor_id"] else None,
        )
        for step in row["history"]
    ]
    return ExtensionVersion(**values, state=ReviewState(row["state"]), history=history)


class SqlaCheckRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, records: list[CheckRecord]) -> None:
        if records:
            await self._session.execute(
                insert(marketplace_check_records), [_record_row(record, i) for i, record in enumerate(records)]
            )

    async def list_for_version(self, version_id: UUID) -> list[CheckRecord]:
        columns = marketplace_check_records.c
        query = (
            select(marketplace_check_records)
            .where(columns.version_id == version_id)
            .order_by(columns.review_round, columns.recorded_at, columns.position)
        )
        return [_record(row) for row in (await self._session.execute(query)).mappings()]


def _record_row(record: CheckRecord, position: int) -> dict[str, Any]:
    findings = [
        {"rule": f.rule, "message": f.message, "path": f.path, "line": f.line, "severity": f.severity.value}
        for f in record.findings
    ]
    return {
        "id": record.id,
        "version_id": record.version_id,
        "review_round": record.review_round,
        "position": position,
        "check_name": record.check,
        "outcome": record.outcome.value,
        "enforced": record.enforced,
        "required": record.required,
        "publisher_message": record.publisher_message,
        "admin_detail": record.admin_detail,
        "findings": findings,
        "recorded_at": record.recorded_at,
    }


def _record(row: Any) -> CheckRecord:
    findings = tuple(
        Finding(f["rule"], f["message"], f["path"], f["line"], Severity(f["severity"])) for f in row["findings"]
    )
    return CheckRecord(
        id=row["id"],
        version_id=row["version_id"],
        review_round=row["review_round"],
        check=row["check_name"],
        outcome=CheckOutcome(row["outcome"]),
        enforced=row["enforced"],
        required=row["required"],
        publisher_message=row["publisher_message"],
        admin_detail=row["admin_detail"],
        findings=findings,
        recorded_at=row["recorded_at"],
    )
