"""What the marketplace use cases answer with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from devforge.application.marketplace.ports import CheckRecord
from devforge.domain.marketplace.dist_tags import resolve
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import Finding
from devforge.domain.marketplace.version import ExtensionVersion, Transition


@dataclass(frozen=True)
class PublisherView:
    publisher: Publisher

    @property
    def challenge(self) -> tuple[str, str] | None:
        """(TXT record name, value) the owner publishes to verify the domain."""
        name, value = self.publisher.challenge_name, self.publisher.expected_record
        return (name, value) if name and value else None


@dataclass(frozen=True)
class ExtensionView:
    extension: Extension
    namespace: str
    versions: tuple[ExtensionVersion, ...] = ()
    publisher: Publisher | None = None
    custom_tags: Mapping[str, str] = field(default_factory=dict)  # as stored; see ``dist_tags``

    @property
    def latest(self) -> ExtensionVersion | None:
        published = [version for version in self.versions if version.published]
        return published[-1] if published else None

    @property
    def dist_tags(self) -> dict[str, str]:
        """latest and pre-release (from the versions shown), then the custom tags still live."""
        return resolve(self.versions, self.custom_tags)


@dataclass(frozen=True)
class CheckView:
    check: str
    outcome: str
    enforced: bool
    required: bool
    message: str
    detail: str | None  # administrators only
    review_round: int
    recorded_at: datetime
    findings: tuple[Finding, ...] = ()  # each with its severity, file and line (never a secret)


@dataclass(frozen=True)
class ReviewView:
    version: ExtensionVersion
    checks: tuple[CheckView, ...]
    history: tuple[Transition, ...]

    @classmethod
    def of(cls, version: ExtensionVersion, records: list[CheckRecord], *, admin: bool) -> ReviewView:
        latest = [record for record in records if record.review_round == version.review_round]
        checks = tuple(
            CheckView(
                record.check,
                record.outcome.value,
                record.enforced,
                record.required,
                record.publisher_message,
                record.admin_detail if admin else None,
                record.review_round,
                record.recorded_at,
                record.findings,
            )
            for record in latest
        )
        return cls(version, checks, tuple(version.history))


@dataclass(frozen=True)
class UploadedVersion:
    version_id: UUID
    extension_id: UUID
    version: str
    target_platform: str
    state: str
    sha256: str
    size: int
