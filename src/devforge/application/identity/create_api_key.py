"""Create an API key for a machine client; the secret is shown once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.api_key_secrets import ApiKeySecrets
from devforge.application.identity.api_key_views import ApiKeyView, IssuedApiKey
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import ApiKeyRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.application.identity.reauthentication import Reauthentication
from devforge.domain.identity.api_key import ApiKey
from devforge.domain.identity.errors import ApiKeyLimitReached
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.role_table import RoleTable

MAX_LIVE_KEYS = 20


@dataclass(frozen=True, slots=True)
class CreateApiKey:
    name: str
    scopes: Sequence[str]
    expires_in_days: int
    password: str = ""
    code: str = ""
    """One of the two confirms it is the owner asking (``Reauthentication``)."""


class CreateApiKeyHandler:
    """Scopes are a subset of what the owner's role allows keys to carry; a key cannot mint keys
    (the call needs ``api_keys:manage_own``, which no key holds), and neither can a session
    alone: the request carries the password or a fresh authenticator code, so a stolen access
    token cannot turn itself into a credential that outlives the session. At most 20 live keys
    per owner. ``ApiKeyCreated`` mails the owner."""

    def __init__(
        self,
        uow: UnitOfWork,
        api_keys: ApiKeyRepository,
        outbox: Outbox,
        secrets: ApiKeySecrets,
        authorizer: Authorizer,
        reauthenticate: Reauthentication,
        clock: Clock,
        roles: RoleTable,
    ) -> None:
        self._uow, self._keys, self._outbox, self._secrets = uow, api_keys, outbox, secrets
        self._authorize, self._reauthenticate, self._clock, self._roles = authorizer, reauthenticate, clock, roles

    async def __call__(self, principal: Principal, command: CreateApiKey) -> IssuedApiKey:
        await self._authorize(principal, IdentityPermission.API_KEYS_MANAGE_OWN, resource="api_keys")
        await self._reauthenticate(
            principal.user_id, password=command.password, code=command.code, action="create api key"
        )
        now = self._clock.now()
        live = [key for key in await self._keys.list_for_owner(principal.user_id) if key.is_usable(now)]
        if len(live) >= MAX_LIVE_KEYS:
            raise ApiKeyLimitReached(f"You have {MAX_LIVE_KEYS} live keys; revoke one first.")
        secret = self._secrets.new()
        key = ApiKey.issue(
            key_id=uuid4(),
            owner_id=principal.user_id,
            name=command.name,
            secret=secret,
            digest=self._secrets.digest(secret),
            scopes=command.scopes,
            held=self._roles.permissions_of(principal.role),
            known=self._roles.names,
            lifetime_days=command.expires_in_days,
            now=now,
        )
        await self._keys.add(key)
        await record_events(self._outbox, key)
        await self._uow.commit()
        return IssuedApiKey(ApiKeyView.of(key), secret)
