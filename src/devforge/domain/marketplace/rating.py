"""Ratings and reviews of extensions.

A user rates an extension at most once: 1 to 5 whole stars, with an optional title (up to 100
characters) and body (up to 5,000). Writing again edits the same rating; writing the same thing
again changes nothing. Only someone who downloaded the extension may rate it, and never a member
of its publisher. Text is plain: it is shown as text, never as HTML, so only control characters
are taken out (the body keeps its line breaks and tabs).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.shared.errors import NotFound, NotPermitted, RuleViolated
from devforge.domain.shared.events import DomainEvent, EventRecorder

MAX_TITLE = 100
MAX_BODY = 5_000
KEPT_IN_BODY = frozenset("\n\t")


class RatingInvalid(RuleViolated):
    code = "rating_invalid"


class RatingRefused(NotPermitted):
    """The caller may not rate this extension (never downloaded it, or publishes it)."""

    code = "rating_refused"


class RatingNotFound(NotFound):
    code = "rating_not_found"


@dataclass(frozen=True, kw_only=True)
class RatingWritten(DomainEvent):
    """A rating was given, or edited (``edited``) to say something else."""

    rating_id: UUID
    extension_id: UUID
    user_id: UUID
    stars: int
    edited: bool


@dataclass(frozen=True, kw_only=True)
class RatingWithdrawn(DomainEvent):
    """Its author took the rating back (and may rate again later)."""

    rating_id: UUID
    extension_id: UUID
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class RatingRemoved(DomainEvent):
    """An administrator took someone's rating down; the reason stays in the outbox."""

    rating_id: UUID
    extension_id: UUID
    user_id: UUID
    removed_by: UUID
    reason: str


def plain_text(text: str, *, limit: int, field: str, multiline: bool) -> str:
    """Control characters out (line breaks and tabs stay in a body), CRLF as LF, ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = KEPT_IN_BODY if multiline else frozenset()
    cleaned = "".join(c for c in text if c in kept or unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    cleaned = cleaned.strip() if multiline else " ".join(cleaned.split())
    if len(cleaned) > limit:
        raise RatingInvalid(f"Use at most {limit:,} characters.", field=field)
    return cleaned


def ensure_may_rate(
    *,
    downloaded_at: datetime | None,
    publisher_member: bool,
    email_verified: bool,
    now: datetime,
    min_download_age: timedelta,
) -> None:
    """Members never rate their own; a rater proved their address and downloaded the extension,
    signed in, at least ``min_download_age`` ago (a new account cannot download and rate at once)."""
    if publisher_member:
        raise RatingRefused("Members of the publisher cannot rate their own extension.")
    if downloaded_at is None:
        raise RatingRefused("Only someone who downloaded this extension may rate it; download it first.")
    if not email_verified:
        raise RatingRefused("Verify your email address before rating extensions.")
    if now - downloaded_at < min_download_age:
        wait = downloaded_at + min_download_age - now
        hours = max(1, -(-int(wait.total_seconds()) // 3600))
        raise RatingRefused(f"Use the extension a while before rating it: try again in about {hours} hour(s).")


@dataclass(kw_only=True)
class Rating(EventRecorder):
    id: UUID
    extension_id: UUID
    user_id: UUID
    stars: int
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
    edited: bool = False

    @classmethod
    def write(
        cls, *, rating_id: UUID, extension_id: UUID, user_id: UUID, stars: int, title: str, body: str, now: datetime
    ) -> Rating:
        rating = cls(
            id=rating_id,
            extension_id=extension_id,
            user_id=user_id,
            stars=1,
            title="",
            body="",
            created_at=now,
            updated_at=now,
        )
        rating._set(stars, title, body)
        rating._written(now)
        return rating

    def edit(self, *, stars: int, title: str, body: str, now: datetime) -> bool:
        """True when something changed; the same stars and text again leave the rating as it was."""
        before = (self.stars, self.title, self.body)
        self._set(stars, title, body)
        if (self.stars, self.title, self.body) == before:
            return False
        self.updated_at, self.edited = now, True
        self._written(now)
        return True

    def withdraw(self, now: datetime) -> None:
        self.record(
            RatingWithdrawn(occurred_at=now, rating_id=self.id, extension_id=self.extension_id, user_id=self.user_id)
        )

    def remove_by_admin(self, admin_id: UUID, reason: str, now: datetime) -> None:
        reason = " ".join(reason.split())
        if not 1 <= len(reason) <= 500:
            raise RatingInvalid("Say why, in 1 to 500 characters.", field="reason")
        self.record(
            RatingRemoved(
                occurred_at=now,
                rating_id=self.id,
                extension_id=self.extension_id,
                user_id=self.user_id,
                removed_by=admin_id,
                reason=reason,
            )
        )

    def _written(self, now: datetime) -> None:
        self.record(
            RatingWritten(
                occurred_at=now,
                rating_id=self.id,
                extension_id=self.extension_id,
                user_id=self.user_id,
                stars=self.stars,
                edited=self.edited,
            )
        )

    def _set(self, stars: int, title: str, body: str) -> None:
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            raise RatingInvalid("Give 1 to 5 whole stars.", field="stars")
        self.stars = stars
        self.title = plain_text(title, limit=MAX_TITLE, field="title", multiline=False)
        self.body = plain_text(body, limit=MAX_BODY, field="body", multiline=True)


@dataclass(frozen=True)
class RatingSummary:
    """How an extension's ratings stand: ``histogram[n - 1]`` ratings of n stars."""

    histogram: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @classmethod
    def of(cls, stars: Iterable[int]) -> RatingSummary:
        counts = [0] * 5
        for value in stars:
            counts[value - 1] += 1
        return cls((counts[0], counts[1], counts[2], counts[3], counts[4]))

    @property
    def count(self) -> int:
        return sum(self.histogram)

    @property
    def average(self) -> float:
        """0.0 while unrated; otherwise the mean, to 4 decimals."""
        if not self.count:
            return 0.0
        return round(sum(stars * n for stars, n in enumerate(self.histogram, start=1)) / self.count, 4)
