"""What the marketplace publishes: the review pipeline, the CDN purge and the marketplace's own read
models (listings, download counts, rating summaries) read them today, and analytics will read the
downloads. Frozen once published: a change is a new class with the next
VERSION beside the old one (tests/unit/contracts/published_events.json holds each one's fields).
Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.integration_events import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class VersionUploadedV1(IntegrationEvent):
    """Also published when a review is re-run: the pipeline reads it."""

    NAME = "marketplace.version_uploaded"
    VERSION = 1
    version_id: UUID
    extension_id: UUID
    review_round: int


@dataclass(frozen=True, kw_only=True)
class VersionReviewedV1(IntegrationEvent):
    """A decision the publisher hears about: a verdict of the pipeline or of a reviewer."""

    NAME = "marketplace.version_reviewed"
    VERSION = 1
    version_id: UUID
    extension_id: UUID
    publisher_id: UUID
    version: str
    state: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class VersionDecidedV1(IntegrationEvent):
    """The reviewers' audit trail: a decision on a version that waited for one. ``decision`` is
    approved, rejected or changes_requested; ``reviewer_id`` is None when the registry approved it
    automatically (a safe version of a publisher past its probation)."""

    NAME = "marketplace.version_decided"
    VERSION = 1
    version_id: UUID
    extension_id: UUID
    publisher_id: UUID
    version: str
    target_platform: str
    decision: str
    reason: str
    reviewer_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class ReviewChecksCrashedV1(IntegrationEvent):
    """Review checks of a version crashed (or its package could not be read): notifications mails
    every enabled administrator. ``what`` is ``namespace.name version (platform)``; the crash
    details stay on the review, for administrators."""

    NAME = "marketplace.review_checks_crashed"
    VERSION = 1
    version_id: UUID
    extension_id: UUID
    version: str
    what: str
    review_round: int
    checks: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ExtensionDownloadedV1(IntegrationEvent):
    """Counted once per (version, client, day); ``kind`` is ``install`` or ``update``, ``day`` an ISO date."""

    NAME = "marketplace.extension_downloaded"
    VERSION = 1
    extension_id: UUID
    version_id: UUID
    version: str
    kind: str
    day: str


@dataclass(frozen=True, kw_only=True)
class ExtensionDownloadedV2(IntegrationEvent):
    """Version 1 with the downloaded package's ``target_platform`` (``universal``, ``win32-x64``...):
    what analytics breaks downloads down by. Version 1 events, published before it, are still read."""

    NAME = "marketplace.extension_downloaded"
    VERSION = 2
    extension_id: UUID
    version_id: UUID
    version: str
    target_platform: str
    kind: str
    day: str


@dataclass(frozen=True, kw_only=True)
class VersionYankedV1(IntegrationEvent):
    NAME = "marketplace.version_yanked"
    VERSION = 1
    version_id: UUID
    extension_id: UUID
    archive_key: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class VersionUnpublishedV1(IntegrationEvent):
    """The slot stays taken; the archive leaves the CDN."""

    NAME = "marketplace.version_unpublished"
    VERSION = 1
    version_id: UUID
    extension_id: UUID
    version: str
    target_platform: str
    archive_key: str


@dataclass(frozen=True, kw_only=True)
class ExtensionDeletedV1(IntegrationEvent):
    """``archive_keys``: what the CDN may still hold."""

    NAME = "marketplace.extension_deleted"
    VERSION = 1
    extension_id: UUID
    publisher_id: UUID
    archive_keys: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ExtensionUpdatedV1(IntegrationEvent):
    """Its listing text, tags, categories or linked product (paid or free) were written."""

    NAME = "marketplace.extension_updated"
    VERSION = 1
    extension_id: UUID
    publisher_id: UUID


@dataclass(frozen=True, kw_only=True)
class ExtensionDeprecatedV1(IntegrationEvent):
    """``replacement``: ``namespace.name`` of the extension to use instead, if the publisher named one."""

    NAME = "marketplace.extension_deprecated"
    VERSION = 1
    extension_id: UUID
    publisher_id: UUID
    message: str
    replacement: str | None


@dataclass(frozen=True, kw_only=True)
class PublisherVerifiedV1(IntegrationEvent):
    NAME = "marketplace.publisher_verified"
    VERSION = 1
    publisher_id: UUID
    domain: str


@dataclass(frozen=True, kw_only=True)
class RatingWrittenV1(IntegrationEvent):
    """A user rated an extension (1-5 ``stars``), or edited the rating (``edited``)."""

    NAME = "marketplace.rating_written"
    VERSION = 1
    rating_id: UUID
    extension_id: UUID
    user_id: UUID
    stars: int
    edited: bool


@dataclass(frozen=True, kw_only=True)
class RatingWithdrawnV1(IntegrationEvent):
    """The user took their rating back."""

    NAME = "marketplace.rating_withdrawn"
    VERSION = 1
    rating_id: UUID
    extension_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class RatingRemovedV1(IntegrationEvent):
    """An administrator took someone's rating down, for ``reason``."""

    NAME = "marketplace.rating_removed"
    VERSION = 1
    rating_id: UUID
    extension_id: UUID
    user_id: UUID
    removed_by: UUID
    reason: str
