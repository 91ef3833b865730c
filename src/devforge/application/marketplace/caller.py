"""Who asks: plain data the shell builds from identity's principal (contexts never import each other)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.domain.marketplace.errors import ExtensionNotFound, PublisherNotFound
from devforge.domain.marketplace.publisher import Publisher


@dataclass(frozen=True, slots=True)
class Caller:
    """``is_admin``: a marketplace reviewer (the shell sets it only for an admin with a session)."""

    user_id: UUID
    is_admin: bool = False
    email: str = ""


def ensure_member(caller: Caller, publisher: Publisher | None, *, extension: bool = False) -> Publisher:
    """Someone else's publisher (or extension) answers exactly like a missing one."""
    if publisher is None or not (caller.is_admin or publisher.is_member(caller.user_id)):
        if extension:
            raise ExtensionNotFound("No extension with this id.")
        raise PublisherNotFound("No publisher with this id.")
    return publisher
