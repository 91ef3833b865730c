"""``/api/admin/users``: admins list accounts, change roles, disable and enable accounts."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from devforge.application.identity.change_user_role import ChangeUserRoleHandler
from devforge.application.identity.disable_user import DisableUserHandler
from devforge.application.identity.enable_user import EnableUserHandler
from devforge.application.identity.list_users import ListUsers, ListUsersQuery
from devforge.application.identity.principal import Principal
from devforge.application.identity.show_user import ShowUser
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.access_schemas import AdminUserResponse, ChangeRoleRequest
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import MAX_INT

ADMIN_ONLY = "Needs the admin role with two-factor enabled (403 `two_factor_required` otherwise)."


class AdminUsersController(Controller):
    path = "/api/admin/users"
    tags = ["admin"]
    guards = [require(IdentityPermission.USERS_ADMIN)]
    dependencies = GRANTED
    security = BEARER

    @get(
        "/", summary="List accounts", description=f"Oldest first. {ADMIN_ONLY}", responses=problems(400, 401, 403, 429)
    )
    async def list_users(
        self,
        principal: NamedDependency[Principal],
        handler: FromDishka[ListUsers],
        limit: Annotated[int, QueryParameter(ge=1, le=100, description="1 to 100")] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_INT)] = 0,
        role: FromQuery[Literal["customer", "developer", "admin", "finance", "analyst"] | None] = None,
    ) -> list[AdminUserResponse]:
        query = ListUsersQuery(limit=limit, offset=offset, role=Role(role) if role else None)
        return [AdminUserResponse.of(view) for view in await handler(principal, query)]

    @get("/{user_id:uuid}", summary="One account", description=ADMIN_ONLY, responses=problems(400, 401, 403, 404, 429))
    async def show(
        self, user_id: FromPath[UUID], principal: NamedDependency[Principal], handler: FromDishka[ShowUser]
    ) -> AdminUserResponse:
        return AdminUserResponse.of(await handler(principal, user_id))

    @put(
        "/{user_id:uuid}/role",
        summary="Change an account's role",
        description=f"Admins cannot demote themselves (403 `self_lockout_refused`). {ADMIN_ONLY}",
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def change_role(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[ChangeRoleRequest],
        principal: NamedDependency[Principal],
        handler: FromDishka[ChangeUserRoleHandler],
    ) -> AdminUserResponse:
        return AdminUserResponse.of(await handler(principal, user_id, Role(data.role)))

    @post(
        "/{user_id:uuid}/disable",
        status_code=HTTP_200_OK,
        summary="Disable an account",
        description=(
            "Revokes all its sessions at once; admins cannot disable themselves (403 `self_lockout_refused`). "
            f"{ADMIN_ONLY}"
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def disable(
        self, user_id: FromPath[UUID], principal: NamedDependency[Principal], handler: FromDishka[DisableUserHandler]
    ) -> AdminUserResponse:
        return AdminUserResponse.of(await handler(principal, user_id))

    @post(
        "/{user_id:uuid}/enable",
        status_code=HTTP_200_OK,
        summary="Enable a disabled account",
        description=ADMIN_ONLY,
        responses=problems(400, 401, 403, 404, 429),
    )
    async def enable(
        self, user_id: FromPath[UUID], principal: NamedDependency[Principal], handler: FromDishka[EnableUserHandler]
    ) -> AdminUserResponse:
        return AdminUserResponse.of(await handler(principal, user_id))
