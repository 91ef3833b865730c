"""Revoke one of the caller's API keys."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer, ensure_owner, not_found
from devforge.application.identity.ports import ApiKeyRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.domain.identity.permissions import IdentityPermission


async def revoke_api_keys_of(api_keys: ApiKeyRepository, outbox: Outbox, *, user_id: UUID, now: datetime) -> int:
    """Revokes every live key of the user in the caller's unit of work (which the caller
    commits): what a password reset and "sign out everywhere" do, so a key minted by whoever
    held the account does not outlive the owner taking it back. Answers how many ended."""
    ended = 0
    for key in await api_keys.list_for_owner(user_id):
        if key.is_usable(now):
            key.revoke(now)
            await api_keys.update(key)
            await record_events(outbox, key)
            ended += 1
    return ended


class RevokeApiKeyHandler:
    """The key stops working at once. Someone else's key answers like a missing one (404);
    revoking a revoked key is not an error."""

    def __init__(
        self, uow: UnitOfWork, api_keys: ApiKeyRepository, outbox: Outbox, authorizer: Authorizer, clock: Clock
    ) -> None:
        self._uow, self._keys, self._outbox, self._authorize, self._clock = uow, api_keys, outbox, authorizer, clock

    async def __call__(self, principal: Principal, key_id: UUID) -> None:
        await self._authorize(principal, IdentityPermission.API_KEYS_MANAGE_OWN, resource="api_key")
        key = await self._keys.get(key_id, for_update=True)
        if key is None:
            raise not_found("api_key")
        ensure_owner(principal, key.owner_id, resource="api_key")
        key.revoke(self._clock.now())
        await self._keys.update(key)
        await record_events(self._outbox, key)
        await self._uow.commit()
