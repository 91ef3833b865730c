"""An uploaded version and its review state machine.

    uploaded -> validating -> scanning -> passed | rejected | quarantined | errored
    passed -> approved | rejected (by a reviewer, with a reason) | changes_requested
    passed | rejected | quarantined | errored | changes_requested -> uploaded (review re-run)

Only a passed version can be approved. Every transition is kept in ``history`` with its reason
and actor (None: the pipeline). (extension, version, target platform) identifies a version for
good: deleting keeps the row, so the slot is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from devforge.domain.marketplace.errors import ExtensionInvalid, ReviewTransitionInvalid
from devforge.domain.marketplace.semver import Version
from devforge.domain.shared.events import DomainEvent, EventRecorder

TARGET_PLATFORMS = frozenset(
    {"universal", "web", "win32-x64", "win32-arm64", "linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"}
)


def ensure_target_platform(platform: str) -> str:
    if platform not in TARGET_PLATFORMS:
        listed = ", ".join(sorted(TARGET_PLATFORMS))
        raise ExtensionInvalid(f"Use one of {listed}.", field="targetPlatform")
    return platform


class ReviewState(StrEnum):
    UPLOADED = "uploaded"
    VALIDATING = "validating"
    SCANNING = "scanning"
    PASSED = "passed"
    REJECTED = "rejected"
    QUARANTINED = "quarantined"
    ERRORED = "errored"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


_VERDICTS = {ReviewState.PASSED, ReviewState.REJECTED, ReviewState.QUARANTINED, ReviewState.ERRORED}
_RERUNNABLE = _VERDICTS | {ReviewState.CHANGES_REQUESTED}
ALLOWED: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.UPLOADED: frozenset({ReviewState.VALIDATING}),
    ReviewState.VALIDATING: frozenset({ReviewState.SCANNING} | _VERDICTS - {ReviewState.PASSED}),
    ReviewState.SCANNING: frozenset(_VERDICTS),
    ReviewState.PASSED: frozenset(
        {ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.CHANGES_REQUESTED, ReviewState.UPLOADED}
    ),
    **{state: frozenset({ReviewState.UPLOADED}) for state in _RERUNNABLE - {ReviewState.PASSED}},
    ReviewState.APPROVED: frozenset(),
}


@dataclass(frozen=True)
class Transition:
    from_state: ReviewState
    to_state: ReviewState
    at: datetime
    reason: str = ""
    actor_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class VersionUploaded(DomainEvent):
    """Also raised when a review is re-run: the pipeline subscribes to it."""

    name: ClassVar[str] = "marketplace.version_uploaded"
    version_id: UUID
    extension_id: UUID
    review_round: int


@dataclass(frozen=True, kw_only=True)
class VersionReviewed(DomainEvent):
    """A decision the publisher hears about: a verdict of the pipeline or of a reviewer."""

    name: ClassVar[str] = "marketplace.version_reviewed"
    version_id: UUID
    extension_id: UUID
    publisher_id: UUID
    version: str
    state: str
    reasons: tuple[str, ...]


@dataclass(kw_only=True)
class ExtensionVersion(EventRecorder):
    id: UUID
    extension_id: UUID
    publisher_id: UUID
    version: str
    target_platform: str
    archive_key: str
    size: int
    sha256: str
    uploaded_by: UUID
    uploaded_at: datetime
    state: ReviewState = ReviewState.UPLOADED
    review_round: int = 1
    history: list[Transition] = field(default_factory=list)
    signature: str | None = None
    signing_key_id: str | None = None
    engine_range: str | None = None
    deleted_at: datetime | None = None
    yanked_at: datetime | None = None
    yank_reason: str | None = None

    def __post_init__(self) -> None:
        self.version = str(Version.parse(self.version))
        ensure_target_platform(self.target_platform)

    @classmethod
    def upload(cls, **values: object) -> ExtensionVersion:
        version = cls(**values)  # type: ignore[arg-type]
        version.record(
            VersionUploaded(
                occurred_at=version.uploaded_at,
                version_id=version.id,
                extension_id=version.extension_id,
                review_round=1,
            )
        )
        return version

    @property
    def prerelease(self) -> bool:
        return Version.parse(self.version).is_prerelease

    @property
    def published(self) -> bool:
        return self.state is ReviewState.APPROVED and self.deleted_at is None

    def move(self, to: ReviewState, now: datetime, *, reason: str = "", actor_id: UUID | None = None) -> None:
        if to not in ALLOWED[self.state]:
            raise ReviewTransitionInvalid(f"A version that is {self.state.value} cannot become {to.value}.")
        self.history.append(Transition(self.state, to, now, reason, actor_id))
        self.state = to

    def decide(self, to: ReviewState, now: datetime, reasons: tuple[str, ...], actor_id: UUID | None = None) -> None:
        """A transition the publisher is told about (by mail, through ``VersionReviewed``)."""
        self.move(to, now, reason=" ".join(reasons), actor_id=actor_id)
        self.record(
            VersionReviewed(
                occurred_at=now,
                version_id=self.id,
                extension_id=self.extension_id,
                publisher_id=self.publisher_id,
                version=self.version,
                state=to.value,
                reasons=reasons,
            )
        )

    def request_review(self, now: datetime, actor_id: UUID) -> None:
        """Run the pipeline again (after a scanner fix, or a reviewer's doubt)."""
        if self.state not in _RERUNNABLE:
            raise ReviewTransitionInvalid(f"A version that is {self.state.value} cannot be reviewed again.")
        self.move(ReviewState.UPLOADED, now, reason="Review requested.", actor_id=actor_id)
        self.review_round += 1
        self.record(
            VersionUploaded(
                occurred_at=now, version_id=self.id, extension_id=self.extension_id, review_round=self.review_round
            )
        )

    def delete(self, now: datetime) -> None:
        if self.deleted_at is None:
            self.deleted_at = now

    @property
    def yanked(self) -> bool:
        return self.yanked_at is not None

    def yank(self, reason: str, now: datetime) -> None:
        """A published version withdrawn with a message: never picked as the newest or the compatible
        version again, still served to whoever asks for it by number (their lockfile pins it)."""
        reason = " ".join(reason.split())
        if not self.published:
            raise ReviewTransitionInvalid("Only a published version is yanked.")
        if not 1 <= len(reason) <= 500:
            raise ExtensionInvalid("Say why, in 1 to 500 characters.", field="reason")
        if self.yanked_at is None:
            self.yanked_at, self.yank_reason = now, reason
            self.record(
                VersionYanked(
                    occurred_at=now,
                    version_id=self.id,
                    extension_id=self.extension_id,
                    archive_key=self.archive_key,
                    reason=reason,
                )
            )


@dataclass(frozen=True, kw_only=True)
class ExtensionDownloaded(DomainEvent):
    """Counted once per (version, client, day); analytics reads installs and updates apart."""

    name: ClassVar[str] = "marketplace.extension_downloaded"
    extension_id: UUID
    version_id: UUID
    version: str
    kind: str  # "install" | "update"
    day: str


@dataclass(frozen=True, kw_only=True)
class VersionYanked(DomainEvent):
    name: ClassVar[str] = "marketplace.version_yanked"
    version_id: UUID
    extension_id: UUID
    archive_key: str
    reason: str
