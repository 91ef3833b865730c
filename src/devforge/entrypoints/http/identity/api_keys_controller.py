"""``/api/auth/api-keys``: the caller's keys for machine clients."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from devforge.application.identity.create_api_key import CreateApiKey, CreateApiKeyHandler
from devforge.application.identity.list_api_keys import ListApiKeys
from devforge.application.identity.principal import Principal
from devforge.application.identity.revoke_api_key import RevokeApiKeyHandler
from devforge.domain.identity.permissions import IdentityPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.access_schemas import (
    ApiKeyResponse,
    CreateApiKeyRequest,
    CreatedApiKeyResponse,
)
from devforge.entrypoints.http.openapi_docs import problems


class ApiKeysController(Controller):
    """Managing keys needs a signed-in session: no key holds ``api_keys:manage_own``."""

    path = "/api/auth/api-keys"
    tags = ["api keys"]
    guards = [require(IdentityPermission.API_KEYS_MANAGE_OWN)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an API key",
        description=(
            "Answers the key once (`dfk_live_...`); only its digest and first 12 characters are kept. "
            "Scopes must be among your own permissions that keys may carry. Confirm it is you with your "
            "`password`, or a fresh authenticator `code` when two-factor is on: without one the answer is 403 "
            "`reauthentication_required`, a wrong one 422 `reauthentication_failed` (5 wrong in 5 minutes: "
            "429). The owner is mailed about every new key. Keys are revoked by a password reset and by "
            "signing out everywhere else."
        ),
        responses=problems(400, 401, 403, 409, 422, 429),
        opt={"answers_secrets": True},
    )
    async def create(
        self,
        data: JSONBody[CreateApiKeyRequest],
        principal: NamedDependency[Principal],
        handler: FromDishka[CreateApiKeyHandler],
    ) -> CreatedApiKeyResponse:
        command = CreateApiKey(
            name=data.name,
            scopes=data.scopes,
            expires_in_days=data.expires_in_days,
            password=data.password or "",
            code=data.code or "",
        )
        return CreatedApiKeyResponse.of(await handler(principal, command))

    @get(
        "/",
        summary="List my API keys",
        description="Your keys, newest first, revoked and expired ones included; never the secrets.",
        responses=problems(400, 401, 403, 429),
    )
    async def list_keys(
        self, principal: NamedDependency[Principal], handler: FromDishka[ListApiKeys]
    ) -> list[ApiKeyResponse]:
        return [ApiKeyResponse.of(view) for view in await handler(principal)]

    @delete(
        "/{key_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Revoke an API key",
        description="The key stops working at once. Someone else's key answers 404, like a missing one.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def revoke(
        self, key_id: FromPath[UUID], principal: NamedDependency[Principal], handler: FromDishka[RevokeApiKeyHandler]
    ) -> None:
        await handler(principal, key_id)
