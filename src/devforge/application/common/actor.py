"""Who asks, as every context's use cases see it.

The HTTP guard builds the actor once per request through identity's ``Authorizer``: who it is,
the permissions it holds for this request, and whether it came through an API key. Use cases
ask ``actor.may(permission)``, never the role: the rule "administrative grants need an admin's
session with two-factor, never a key" is decided once, where the actor is built, for every
context alike. Contexts never import identity; they read this plain value.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.domain.shared.permissions import Permission


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: UUID
    grants: frozenset[Permission] = frozenset()
    via_api_key: bool = False

    @classmethod
    def holding(cls, user_id: UUID, *permissions: Permission) -> Actor:
        """An actor the platform itself builds (a seed, a test) with exactly these grants."""
        return cls(user_id, frozenset(permissions))

    def may(self, permission: Permission) -> bool:
        return permission in self.grants

    def owns_or_may(self, owner_id: UUID, override: Permission) -> bool:
        """Its own record, or someone else's through an administrative ``override``."""
        return owner_id == self.user_id or self.may(override)
