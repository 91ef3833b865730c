"""Erasing one person's events on request (the right to erasure): who asked, when, whom, and
what was found stitched to them. The request is kept; the events are not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.shared.errors import RuleViolated

MAX_STITCHED_INSTALLS = 1000
"""A person with more installs than this is not one person: the erasure is refused, not truncated."""


@dataclass(frozen=True, slots=True)
class ErasureSubject:
    """Whom to erase: an install (distinct id), a user, or both; whatever is stitched to either
    is erased with them."""

    distinct_id: str | None = None
    user_id: UUID | None = None

    def __post_init__(self) -> None:
        if self.distinct_id is None and self.user_id is None:
            raise RuleViolated("Name the person: a distinct id, a user id, or both.", field="distinctId")
        if self.distinct_id is not None and not 1 <= len(self.distinct_id) <= 200:
            raise RuleViolated("A distinct id is 1 to 200 characters.", field="distinctId")


@dataclass(frozen=True, slots=True)
class Erasure:
    """A recorded erasure. ``distinct_ids`` and ``user_ids``: everything erased (the subject and
    what was stitched to it); ``events``: how many events the store removed."""

    id: UUID
    subject: ErasureSubject
    distinct_ids: tuple[str, ...]
    user_ids: tuple[UUID, ...]
    events: int
    requested_by: UUID
    requested_at: datetime


def stitched(subject: ErasureSubject, linked_user: UUID | None, installs: set[str]) -> tuple[list[str], list[UUID]]:
    """The ids to erase: the subject's own, the user its install is linked to, the installs
    linked to those users, and each user's id as a distinct id (the server's facts about a user
    are filed under it)."""
    users = sorted({each for each in (subject.user_id, linked_user) if each is not None}, key=str)
    ids = set(installs) | {str(user) for user in users}
    if subject.distinct_id is not None:
        ids.add(subject.distinct_id)
    if len(ids) > MAX_STITCHED_INSTALLS:
        raise RuleViolated(f"More than {MAX_STITCHED_INSTALLS} ids are stitched to this person.", field="distinctId")
    return sorted(ids), users
