"""Ports of the name rules: the confusables data, the reserved names, and the claims that make
a skeleton belong to one publisher or extension."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol
from uuid import UUID

from devforge.domain.marketplace.reserved import ReservedName

Scope = Literal["publisher", "extension"]


class Confusables(Protocol):
    """Not transactional: data. Each character that looks like another -> its prototype."""

    def prototypes(self) -> Mapping[str, str]: ...


class ReservedNames(Protocol):
    """Not transactional: data. The reserved name whose skeleton this is, if any."""

    def holder(self, skeleton: str) -> ReservedName | None: ...


@dataclass(frozen=True, slots=True)
class NameClaim:
    scope: Scope  # publishers' names and extensions' names are apart
    skeleton: str
    name: str  # as its holder wrote it: what a refused claimant is told it collides with
    holder_id: UUID  # the publisher's or the extension's id
    field: str  # which of the holder's fields it came from (namespace, displayName, name)


class NameClaims(Protocol):
    """Transactional. A skeleton belongs to at most one holder per scope, for good (a deleted
    extension keeps its names). The store refuses the second of two claims of one skeleton even
    when both transactions run at the same moment (a unique key, not a read before the write)."""

    async def claim(self, claims: Sequence[NameClaim]) -> None:
        """Claims every skeleton for its holder; one its holder already has is kept. Raises
        ``NameSquatted`` (with the name it collides with and the claim's field) when another
        holder has one."""
        ...

    async def release(self, scope: Scope, holder_id: UUID, *, keep: Sequence[str]) -> None:
        """Gives up the holder's skeletons that are not in ``keep`` (a changed display name)."""
        ...

    async def holder_of(self, scope: Scope, skeleton: str) -> NameClaim | None: ...

    async def all_claims(self, scope: Scope) -> list[NameClaim]:
        """Every claim of the scope, by skeleton: what the one-edit rule compares with."""
        ...
