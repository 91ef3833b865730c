"""Extensions: a name under a publisher, and the listing text shown in the marketplace.

The name follows the manifest's name rules; it is unique within the registry in the sense of
``naming`` (no other extension one edit away). Deleting is soft: the row stays, so neither the
name nor any of its (version, platform) slots can be taken again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.marketplace.errors import ExtensionInvalid
from devforge.domain.marketplace.manifest import NAME
from devforge.domain.shared.events import DomainEvent, EventRecorder

REPLACEMENT = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
TAG = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
MAX_TAGS = 20
CATEGORIES = frozenset(
    {"formatters", "linters", "languages", "themes", "snippets", "debuggers", "testing", "scm", "ai", "other"}
)


@dataclass(frozen=True, kw_only=True)
class ExtensionDeleted(DomainEvent):
    extension_id: UUID
    publisher_id: UUID
    archive_keys: tuple[str, ...]  # what the CDN may still hold


@dataclass(frozen=True, kw_only=True)
class ExtensionUpdated(DomainEvent):
    """Its listing text, tags, categories or linked product were written."""

    extension_id: UUID
    publisher_id: UUID


@dataclass(frozen=True, kw_only=True)
class ExtensionDeprecated(DomainEvent):
    extension_id: UUID
    publisher_id: UUID
    message: str
    replacement: str | None


@dataclass(kw_only=True)
class Extension(EventRecorder):
    id: UUID
    publisher_id: UUID
    name: str
    display_name: str
    description: str
    created_at: datetime
    updated_at: datetime
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    deleted_at: datetime | None = None
    deprecation: str | None = None  # the message shown; None while not deprecated
    replacement: str | None = None  # "namespace.name" of the extension to use instead
    license_product_id: UUID | None = None  # licensing's product a download needs a license of (paid)
    # Its rating summary: a read model restated from the ratings by a consumer
    # (``RatingSummaries``); saving the extension never writes it.
    rating_count: int = 0
    rating_average: float = 0.0

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            message = "Use 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'."
            raise ExtensionInvalid(message, field="name")
        self._listing(self.display_name, self.description, self.tags, self.categories)

    def update(
        self, *, display_name: str, description: str, tags: tuple[str, ...], categories: tuple[str, ...], now: datetime
    ) -> None:
        self._listing(display_name, description, tags, categories)
        self.updated_at = now
        self.record(ExtensionUpdated(occurred_at=now, extension_id=self.id, publisher_id=self.publisher_id))

    def delete(self, now: datetime, archive_keys: tuple[str, ...] = ()) -> None:
        if self.deleted_at is None:
            self.deleted_at = self.updated_at = now
            self.record(
                ExtensionDeleted(
                    occurred_at=now, extension_id=self.id, publisher_id=self.publisher_id, archive_keys=archive_keys
                )
            )

    def deprecate(self, message: str, replacement: str | None, now: datetime) -> None:
        message = " ".join(message.split())
        if not 1 <= len(message) <= 500:
            raise ExtensionInvalid("Say why, in 1 to 500 characters.", field="message")
        if replacement is not None and not REPLACEMENT.fullmatch(replacement):
            raise ExtensionInvalid("Name the replacement as namespace.name.", field="replacement")
        self.deprecation, self.replacement, self.updated_at = message, replacement, now
        self.record(
            ExtensionDeprecated(
                occurred_at=now,
                extension_id=self.id,
                publisher_id=self.publisher_id,
                message=message,
                replacement=replacement,
            )
        )

    def link_product(self, product_id: UUID | None, now: datetime) -> None:
        """Paid while linked to a licensing product; unlinking makes it free again. The ``update``
        that follows it in the same edit records the change."""
        if product_id != self.license_product_id:
            self.license_product_id, self.updated_at = product_id, now

    @property
    def paid(self) -> bool:
        return self.license_product_id is not None

    @property
    def deprecated(self) -> bool:
        return self.deprecation is not None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def _listing(self, display_name: str, description: str, tags: tuple[str, ...], categories: tuple[str, ...]) -> None:
        display_name = " ".join(display_name.split())
        if not 1 <= len(display_name) <= 100:
            raise ExtensionInvalid("Use 1 to 100 characters.", field="displayName")
        if len(description) > 2000:
            raise ExtensionInvalid("Use at most 2,000 characters.", field="description")
        tags = tuple(dict.fromkeys(tag.strip().lower() for tag in tags))
        if len(tags) > MAX_TAGS or not all(TAG.fullmatch(tag) for tag in tags):
            raise ExtensionInvalid(f"Up to {MAX_TAGS} tags of 1-32 of a-z, 0-9 and '-'.", field="tags")
        unknown = sorted(set(categories) - CATEGORIES)
        if unknown:
            raise ExtensionInvalid(f"Unknown category '{unknown[0]}'.", field="categories")
        self.display_name, self.description = display_name, description.strip()
        self.tags, self.categories = tags, tuple(dict.fromkeys(categories))
