"""``/api/auth/sessions``: where I am signed in; sign one or all others out."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from devforge.application.identity.list_my_sessions import ListMySessions
from devforge.application.identity.principal import Principal
from devforge.application.identity.revoke_my_session import RevokeMySessionHandler
from devforge.application.identity.revoke_other_sessions import RevokeOtherSessionsHandler
from devforge.domain.identity.permissions import IdentityPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.authentication_schemas import RevokedSessionsResponse, SessionResponse
from devforge.entrypoints.http.openapi_docs import problems


class SessionsController(Controller):
    path = "/api/auth/sessions"
    tags = ["auth", "sessions"]
    guards = [require(IdentityPermission.SESSIONS_MANAGE_OWN)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/",
        summary="List my sessions",
        description="Newest first, ended ones included: device, IP, when started and last used; `current` is this one.",
        responses=problems(400, 401, 403, 429),
    )
    async def list_sessions(
        self, principal: NamedDependency[Principal], handler: FromDishka[ListMySessions]
    ) -> list[SessionResponse]:
        return [SessionResponse.of(view) for view in await handler(principal)]

    @delete(
        "/{session_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign one of my sessions out",
        description="Its tokens stop working at once. Someone else's session answers 404, like a missing one.",
        responses=problems(400, 401, 403, 404, 429),
    )
    async def revoke(
        self,
        session_id: FromPath[UUID],
        principal: NamedDependency[Principal],
        handler: FromDishka[RevokeMySessionHandler],
    ) -> None:
        await handler(principal, session_id)

    @post(
        "/revoke-others",
        status_code=HTTP_200_OK,
        summary="Sign out everywhere else",
        description=(
            "Ends every active session of mine except the one making this call, and revokes every API key "
            "of mine (create new keys afterwards); answers how many of each ended."
        ),
        responses=problems(400, 401, 403, 429),
    )
    async def revoke_others(
        self, principal: NamedDependency[Principal], handler: FromDishka[RevokeOtherSessionsHandler]
    ) -> RevokedSessionsResponse:
        ended = await handler(principal)
        return RevokedSessionsResponse(revoked=ended.sessions, revoked_api_keys=ended.api_keys)
