"""Marketplace ports. Repositories are transactional (they join the unit of work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import CheckOutcome, Finding
from devforge.domain.marketplace.version import ExtensionVersion


class AccountDirectory(Protocol):
    """Where an account's owner gets mail (accounts belong to identity, whose tables the
    marketplace never reads; bootstrap serves this with identity's published ``AccountLookup``).
    Reads in the caller's unit of work; ``None`` for an unknown account."""

    async def address(self, user_id: UUID) -> str | None: ...

    async def email_verified(self, user_id: UUID) -> bool:
        """The owner proved the address (an unknown account has not)."""
        ...


class PublisherRepository(Protocol):
    async def add(self, publisher: Publisher) -> None:
        """Raises ``NameSquatted`` when the namespace is taken, even by a concurrent transaction."""
        ...

    async def get(self, publisher_id: UUID, *, for_update: bool = False) -> Publisher | None: ...

    async def get_by_namespace(self, namespace: str) -> Publisher | None: ...

    async def names(self) -> list[str]:
        """Every namespace and display name: what a new publisher's name is squat-checked against."""
        ...

    async def list_for_member(self, user_id: UUID) -> list[Publisher]: ...

    async def update(self, publisher: Publisher) -> None: ...


class ExtensionRepository(Protocol):
    async def add(self, extension: Extension) -> None:
        """Raises ``NameSquatted`` when the publisher already has this name (deleted ones count)."""
        ...

    async def get(self, extension_id: UUID, *, for_update: bool = False) -> Extension | None:
        """Deleted extensions included; callers decide what a deleted one means."""
        ...

    async def names(self, *, excluding: UUID | None = None) -> list[str]:
        """Every extension name in the registry (deleted ones included)."""
        ...

    async def list_for_publishers(self, publisher_ids: list[UUID]) -> list[Extension]: ...

    async def ids(self, *, after: UUID | None, limit: int) -> list[UUID]:
        """Up to ``limit`` extension ids greater than ``after``, in id order, deleted ones included."""
        ...

    async def count(self) -> int:
        """Every extension, deleted ones included."""
        ...

    async def update(self, extension: Extension) -> None:
        """Everything but the rating summary, which only ``RatingSummaries`` writes."""
        ...


class VersionRepository(Protocol):
    async def add(self, version: ExtensionVersion) -> None:
        """Raises ``VersionSlotTaken`` when (extension, version, platform) was ever used."""
        ...

    async def get(self, version_id: UUID, *, for_update: bool = False) -> ExtensionVersion | None: ...

    async def find(self, extension_id: UUID, version: str, target_platform: str) -> ExtensionVersion | None: ...

    async def list_for_extension(self, extension_id: UUID) -> list[ExtensionVersion]:
        """Oldest upload first, deleted ones included."""
        ...

    async def list_for_extensions(self, extension_ids: list[UUID]) -> dict[UUID, list[ExtensionVersion]]:
        """``list_for_extension`` of each (an extension without versions maps to an empty list), in
        one read whatever their number."""
        ...

    async def update(self, version: ExtensionVersion) -> None: ...


@dataclass(frozen=True)
class CheckRecord:
    """One check's result in one review round: the audit trail of the pipeline."""

    id: UUID
    version_id: UUID
    review_round: int
    check: str
    outcome: CheckOutcome
    enforced: bool
    required: bool
    publisher_message: str
    admin_detail: str
    findings: tuple[Finding, ...]
    recorded_at: datetime


class CheckRecordRepository(Protocol):
    async def add(self, records: list[CheckRecord]) -> None: ...

    async def list_for_version(self, version_id: UUID) -> list[CheckRecord]:
        """Every round, oldest first, in the order the checks ran."""
        ...


class CheckRecordReader(Protocol):
    """A version's committed check records, read outside any unit of work (on SQL the common
    read path: one statement, no transaction), for the page that shows its review."""

    async def for_version(self, version_id: UUID) -> list[CheckRecord]:
        """As ``CheckRecordRepository.list_for_version``."""
        ...


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """An extension as the catalogue's pages read it: its publisher (with its members), every one
    of its versions (deleted and unpublished ones too, oldest upload first) and its custom dist-tags."""

    extension: Extension
    publisher: Publisher
    versions: list[ExtensionVersion]
    custom_tags: dict[str, str]


@dataclass(frozen=True)
class MemberCatalog:
    """What a member holds: their publishers by namespace (each with its members), those
    publishers' extensions oldest first (deleted ones included), and each extension's versions
    in upload order (deleted ones included)."""

    publishers: list[Publisher]
    extensions: list[Extension]
    versions: dict[UUID, list[ExtensionVersion]]


class MemberCatalogReader(Protocol):
    """Committed reads outside any unit of work for the developer's dashboard (on SQL the common
    read path: three statements, no session, no transaction)."""

    async def member_catalog(self, user_id: UUID) -> MemberCatalog: ...


class CatalogReader(Protocol):
    """Committed reads outside any unit of work, for the catalogue's public pages (an extension,
    its versions, dist-tags, compatible version, download): each call reads on connections of its
    own, taken only for its statements, never the caller's uncommitted writes and no lock."""

    async def entry(self, extension_id: UUID) -> CatalogEntry | None:
        """None when there is no such extension (or, impossibly, its publisher is gone)."""
        ...

    async def publisher(self, publisher_id: UUID) -> Publisher | None:
        """A publisher with its members; None when there is none."""
        ...


class ReviewQueue(Protocol):
    """How far a publisher is past its probation, read in the caller's unit of work (what waits
    for a reviewer is read outside one: ``review_queue_reader.py``)."""

    async def approved_count(self, publisher_id: UUID) -> int:
        """Versions of the publisher ever approved (deleted, yanked and unpublished ones count)."""
        ...


class InstallTokens(Protocol):
    """Install ids the server issued. ``issue`` mints the token of a new install id; ``install_of``
    answers the id inside a token this server issued, and None for anything else (forged, altered,
    made under another key, malformed): a download with such a token counts for its address."""

    def issue(self, install_id: UUID, issued_at: datetime) -> str: ...

    def install_of(self, token: str) -> UUID | None: ...
