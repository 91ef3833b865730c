"""``/api/admin/audit/auth``: the authentication audit log, for admins."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from devforge.application.identity.list_auth_audit import MAX_LIMIT, ListAuthAudit
from devforge.application.identity.principal import Principal
from devforge.domain.identity.permissions import IdentityPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.authentication_schemas import AuthAuditEntryResponse
from devforge.entrypoints.http.openapi_docs import problems


class AuthAuditController(Controller):
    path = "/api/admin/audit"
    tags = ["admin"]
    guards = [require(IdentityPermission.AUDIT_READ)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/auth",
        summary="Authentication audit log",
        description=(
            "Every sign-in attempt (success, failure, throttled, challenged), second factor, refresh-token "
            "reuse, sign-out and re-authentication (`reauthenticate`: the password or code confirming a new API "
            "key), newest first. Admins with two-factor on only. Emails appear as keyed digests."
        ),
        responses=problems(400, 401, 403, 429),
    )
    async def auth_audit(
        self,
        principal: NamedDependency[Principal],
        handler: FromDishka[ListAuthAudit],
        user_id: Annotated[UUID | None, QueryParameter(name="userId", description="Only this user's entries")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="At most this many")] = 100,
    ) -> list[AuthAuditEntryResponse]:
        entries = await handler(principal, user_id=user_id, limit=limit)
        return [AuthAuditEntryResponse.of(entry) for entry in entries]
