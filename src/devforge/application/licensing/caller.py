"""Who asks: plain data the shell builds from identity's principal (contexts never import each other)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.domain.licensing.errors import LicenseNotFound


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: UUID
    is_admin: bool = False

    def owns_or_admin(self, owner_id: UUID) -> bool:
        return self.is_admin or self.user_id == owner_id


def ensure_sees(caller: Caller, owner_id: UUID) -> None:
    """Someone else's license answers exactly like a missing one, so ids and keys cannot be probed."""
    if not caller.owns_or_admin(owner_id):
        raise LicenseNotFound("No such license.")
