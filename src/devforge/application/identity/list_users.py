"""Admins: list accounts, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import IdentityReader
from devforge.application.identity.principal import Principal
from devforge.application.identity.views import UserView
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role
from devforge.domain.shared.errors import RuleViolated

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class ListUsersQuery:
    limit: int = 50
    offset: int = 0
    role: Role | None = None


class ListUsers:
    """Oldest accounts first; a page holds 1 to 100 accounts. A plain read (no unit of work)."""

    def __init__(self, users: IdentityReader, authorizer: Authorizer) -> None:
        self._users, self._authorize = users, authorizer

    async def __call__(self, principal: Principal, query: ListUsersQuery) -> list[UserView]:
        await self._authorize(principal, IdentityPermission.USERS_ADMIN, resource="users")
        if not 1 <= query.limit <= MAX_PAGE:
            raise RuleViolated(f"Ask for 1 to {MAX_PAGE} accounts.", field="limit")
        if query.offset < 0:
            raise RuleViolated("The offset cannot be negative.", field="offset")
        page = await self._users.users(limit=query.limit, offset=query.offset, role=query.role)
        return [UserView.of(user) for user in page]
