"""Rules for admins acting on accounts."""

from __future__ import annotations

from uuid import UUID

from devforge.domain.identity.errors import SelfLockoutRefused
from devforge.domain.identity.roles import Role


def ensure_not_self_lockout(*, actor_id: UUID, target_id: UUID, new_role: Role | None = None) -> None:
    """An admin may not disable their own account nor take away their own admin role: the
    last admin could lock everyone out, and a stolen admin session could hide its tracks.
    (Keeping one's own role as admin is not a demotion.)"""
    if actor_id != target_id or new_role is Role.ADMIN:
        return
    action = "change your own role" if new_role is not None else "disable your own account"
    raise SelfLockoutRefused(f"You cannot {action}; ask another admin.", field="userId")
