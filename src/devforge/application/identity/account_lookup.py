"""Identity's published interface for other contexts (bootstrap wires it to their ports; contexts
never import each other): does an account exist, and how to reach its owner. Reads only, in the
caller's unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.identity.ports import UserRepository
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus

ADMIN_PAGE = 200


@dataclass(frozen=True, slots=True)
class AccountAddress:
    """Where an account's owner gets mail: the normalized address, whether they proved it, and
    whether the account is enabled."""

    user_id: UUID
    email: str
    email_verified: bool
    enabled: bool


class AccountLookup:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def exists(self, user_id: UUID) -> bool:
        """An account with this id exists, enabled or disabled (a disabled account keeps what it
        owns). Accounts are never deleted, so an unknown id is one that never was."""
        return await self._users.get(user_id) is not None

    async def address(self, user_id: UUID) -> AccountAddress | None:
        user = await self._users.get(user_id)
        if user is None:
            return None
        return AccountAddress(user.id, str(user.email), user.email_verified, user.status is UserStatus.ACTIVE)

    async def administrators(self) -> list[AccountAddress]:
        """Every enabled administrator's address (for notices about the platform itself)."""
        found: list[AccountAddress] = []
        offset = 0
        while page := await self._users.list(limit=ADMIN_PAGE, offset=offset, role=Role.ADMIN):
            found += [
                AccountAddress(user.id, str(user.email), user.email_verified, enabled=True)
                for user in page
                if user.status is UserStatus.ACTIVE
            ]
            offset += len(page)
        return found
