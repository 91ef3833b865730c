"""Turn an API key (``Authorization: Bearer dfk_live_...``) into the caller's identity."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.api_key_secrets import ApiKeySecrets
from devforge.application.identity.ports import ApiKeyRepository, IdentityReader
from devforge.application.identity.principal import NO_SESSION, Principal
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.errors import ApiKeyInvalid
from devforge.domain.identity.user import UserStatus


class AuthenticateApiKey:
    """The key is found by its digest and must be unrevoked, unexpired and owned by an active
    account; the caller acts with the owner's current role, limited to the key's scopes. The key
    is read on the common read path on every request (a revocation counts at once), the owner
    from ``SignedIn`` (the near cache a role change or a disable drops everywhere). The last-used
    time is written in a unit of work at most once a minute, so busy clients do not write per
    request."""

    def __init__(
        self,
        uow: UnitOfWork,
        api_keys: ApiKeyRepository,
        reader: IdentityReader,
        accounts: SignedIn,
        secrets: ApiKeySecrets,
        clock: Clock,
    ) -> None:
        self._uow, self._keys, self._reader, self._accounts = uow, api_keys, reader, accounts
        self._secrets, self._clock = secrets, clock

    async def __call__(self, secret: str) -> Principal:
        now = self._clock.now()
        key = await self._reader.api_key_by_digest(self._secrets.digest(secret))
        if key is None or not key.is_usable(now):
            raise ApiKeyInvalid("The API key is not valid, or was revoked or has expired.")
        owner = await self._accounts.account(key.owner_id)
        if owner is None or owner.status is UserStatus.DISABLED:
            raise ApiKeyInvalid("The API key is not valid, or was revoked or has expired.")
        if key.mark_used(now):
            await self._keys.record_use(key.id, now)
            await self._uow.commit()
        return Principal(owner.id, NO_SESSION, owner.role, scopes=frozenset(key.scopes), api_key_id=key.id)
