"""Where licensing meets identity: licensing's ``AccountDirectory`` port, served by identity's
published ``AccountLookup``. Only the composition root sees both contexts."""

from __future__ import annotations

from uuid import UUID

from devforge.application.identity.account_lookup import AccountLookup


class IdentityAccountDirectory:
    def __init__(self, lookup: AccountLookup) -> None:
        self._lookup = lookup

    async def exists(self, user_id: UUID) -> bool:
        return await self._lookup.exists(user_id)
