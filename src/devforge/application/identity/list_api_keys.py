"""List the caller's API keys (never their secrets)."""

from __future__ import annotations

from devforge.application.identity.api_key_views import ApiKeyView
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import IdentityReader
from devforge.application.identity.principal import Principal
from devforge.domain.identity.permissions import IdentityPermission


class ListApiKeys:
    """Only the caller's own keys, revoked and expired ones included, newest first. A plain read
    (no unit of work)."""

    def __init__(self, api_keys: IdentityReader, authorizer: Authorizer) -> None:
        self._keys, self._authorize = api_keys, authorizer

    async def __call__(self, principal: Principal) -> list[ApiKeyView]:
        await self._authorize(principal, IdentityPermission.API_KEYS_MANAGE_OWN, resource="api_keys")
        return [ApiKeyView.of(key) for key in await self._keys.api_keys_of(principal.user_id)]
