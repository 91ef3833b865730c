"""Identity's published interface for other contexts (bootstrap wires it to their ports; contexts
never import each other): does an account exist. Reads only, in the caller's unit of work."""

from __future__ import annotations

from uuid import UUID

from devforge.application.identity.ports import UserRepository


class AccountLookup:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def exists(self, user_id: UUID) -> bool:
        """An account with this id exists, enabled or disabled (a disabled account keeps what it
        owns). Accounts are never deleted, so an unknown id is one that never was."""
        return await self._users.get(user_id) is not None
