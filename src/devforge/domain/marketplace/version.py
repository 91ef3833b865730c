"""An uploaded version and its review state machine.

    uploaded -> validating -> scanning -> passed | rejected | quarantined | errored
    passed -> approved | rejected (by a reviewer, with a reason) | changes_requested
    passed | rejected | quarantined | errored | changes_requested -> uploaded (review re-run)

Only a passed version can be approved; approval publishes it (``published_at``). Every
transition is kept in ``history`` with its reason and actor (None: the pipeline). (extension,
version, target platform) identifies a version for good: deleting (or unpublishing) keeps the row,
so the slot is never reused.

A version is a pre-release when its number has a pre-release part (``2.0.0-beta.1``) or its
manifest says ``"preRelease": true`` (``pre_release``, set by the review). A published version may
be unpublished within ``UNPUBLISH_WINDOW`` of its publication, and only while no other extension
depends on it (unless another published, non-yanked version of the extension remains).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.marketplace.errors import ExtensionInvalid, ReviewTransitionInvalid, UnpublishRefused
from devforge.domain.marketplace.semver import Version
from devforge.domain.shared.events import DomainEvent, EventRecorder

UNPUBLISH_WINDOW = timedelta(hours=72)
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

    version_id: UUID
    extension_id: UUID
    review_round: int


@dataclass(frozen=True, kw_only=True)
class VersionReviewed(DomainEvent):
    """A decision the publisher hears about: a verdict of the pipeline or of a reviewer."""

    version_id: UUID
    extension_id: UUID
    publisher_id: UUID
    version: str
    state: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class VersionDecided(DomainEvent):
    """A decision on a version that waited for one (a passed version): who (``reviewer_id``; None
    when the registry approved it automatically), what (approved, rejected, changes_requested) and why."""

    version_id: UUID
    extension_id: UUID
    publisher_id: UUID
    version: str
    target_platform: str
    decision: str
    reason: str
    reviewer_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class ReviewChecksCrashed(DomainEvent):
    """Review checks crashed (or the package could not be read): the administrators are told.
    ``what`` names it for them (``namespace.name version``)."""

    version_id: UUID
    extension_id: UUID
    version: str
    what: str
    review_round: int
    checks: tuple[str, ...]


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
    manifest: str | None = None  # the signed manifest of its identity (approved since migration 0023)
    manifest_signature: str | None = None  # by the key named inside the manifest
    engine_range: str | None = None
    deleted_at: datetime | None = None
    yanked_at: datetime | None = None
    yank_reason: str | None = None
    pre_release: bool = False
    published_at: datetime | None = None

    def __post_init__(self) -> None:
        parsed = Version.parse(self.version)
        self.version = str(parsed)
        self.pre_release = self.pre_release or parsed.is_prerelease
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
        """Only the pre-release channel offers it: by its number, or by its manifest's flag."""
        return self.pre_release

    @property
    def waiting_since(self) -> datetime:
        """When it last came to its present state (its upload, if it never moved)."""
        return self.history[-1].at if self.history else self.uploaded_at

    @property
    def published(self) -> bool:
        return self.state is ReviewState.APPROVED and self.deleted_at is None

    def move(self, to: ReviewState, now: datetime, *, reason: str = "", actor_id: UUID | None = None) -> None:
        if to not in ALLOWED[self.state]:
            raise ReviewTransitionInvalid(f"A version that is {self.state.value} cannot become {to.value}.")
        self.history.append(Transition(self.state, to, now, reason, actor_id))
        self.state = to
        if to is ReviewState.APPROVED:
            self.published_at = now

    def report_crashed(self, checks: tuple[str, ...], now: datetime, *, publisher: str, extension: str) -> None:
        """Tell the administrators that these checks of this round crashed (``ReviewChecksCrashed``)."""
        if checks:
            self.record(
                ReviewChecksCrashed(
                    occurred_at=now,
                    version_id=self.id,
                    extension_id=self.extension_id,
                    version=self.version,
                    what=f"{publisher}.{extension} {self.version} ({self.target_platform})",
                    review_round=self.review_round,
                    checks=checks,
                )
            )

    def decide(self, to: ReviewState, now: datetime, reasons: tuple[str, ...], actor_id: UUID | None = None) -> None:
        """A transition the publisher is told about (by mail, through ``VersionReviewed``); a decision
        on a passed version is also kept for the audit (``VersionDecided``)."""
        decided = self.state is ReviewState.PASSED
        self.move(to, now, reason=" ".join(reasons), actor_id=actor_id)
        if decided:
            self.record(
                VersionDecided(
                    occurred_at=now,
                    version_id=self.id,
                    extension_id=self.extension_id,
                    publisher_id=self.publisher_id,
                    version=self.version,
                    target_platform=self.target_platform,
                    decision=to.value,
                    reason=" ".join(reasons),
                    reviewer_id=actor_id,
                )
            )
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
    def publication(self) -> datetime | None:
        """When it was approved (versions approved before ``published_at`` existed: from history)."""
        if self.published_at is not None:
            return self.published_at
        return next((step.at for step in reversed(self.history) if step.to_state is ReviewState.APPROVED), None)

    def unpublish(self, now: datetime, *, dependents: tuple[str, ...] = (), others_remain: bool = False) -> None:
        """Within ``UNPUBLISH_WINDOW`` of publication, and while no other extension depends on this
        one (``dependents``, as namespace.name) unless another published, non-yanked version of it
        remains (``others_remain``). A second unpublish changes nothing."""
        if self.deleted_at is not None:
            return
        published_at = self.publication
        if not self.published or published_at is None:
            raise ReviewTransitionInvalid(f"Only a published version is unpublished; this one is {self.state.value}.")
        deadline = published_at + UNPUBLISH_WINDOW
        if now > deadline:
            message = (
                f"Version {self.version} can no longer be unpublished: the 72 hours after its publication "
                f"ended at {deadline.isoformat()}. Yank or deprecate it instead."
            )
            raise UnpublishRefused(message, field="version")
        if dependents and not others_remain:
            depend = "depends" if len(dependents) == 1 else "depend"
            message = (
                f"Version {self.version} is the last published version, and {', '.join(dependents)} "
                f"{depend} on this extension. Publish another version first, or yank this one."
            )
            raise UnpublishRefused(message, dependents=dependents, field="version")
        self.deleted_at = now
        self.record(
            VersionUnpublished(
                occurred_at=now,
                version_id=self.id,
                extension_id=self.extension_id,
                version=self.version,
                target_platform=self.target_platform,
                archive_key=self.archive_key,
            )
        )

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

    extension_id: UUID
    version_id: UUID
    version: str
    target_platform: str
    kind: str  # "install" | "update"
    day: str


@dataclass(frozen=True, kw_only=True)
class VersionYanked(DomainEvent):
    version_id: UUID
    extension_id: UUID
    archive_key: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class VersionUnpublished(DomainEvent):
    """The slot stays taken; the archive leaves the CDN."""

    version_id: UUID
    extension_id: UUID
    version: str
    target_platform: str
    archive_key: str
