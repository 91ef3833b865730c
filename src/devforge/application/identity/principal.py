"""The caller, as the use cases see it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.domain.identity.roles import Role

NO_SESSION = UUID(int=0)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. A user signed in with a session has ``scopes`` None (the role decides);
    a machine calling with an API key has no session (``session_id`` is the nil UUID), its
    ``api_key_id`` set, and ``scopes`` limiting it to part of its owner's role."""

    user_id: UUID
    session_id: UUID
    role: Role
    scopes: frozenset[str] | None = None
    api_key_id: UUID | None = None
