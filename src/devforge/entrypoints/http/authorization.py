"""The HTTP side of authorization: every protected route names its permission once.

``guards=[require(Permission.X)]`` authenticates the caller (session token or API key) and asks
the application's ``Authorizer`` before the request body is even read, so a stranger learns
nothing about a route's input; the route then takes the granted caller as ``principal``
(``dependencies=GRANTED``). A route that forgets its guard gets no principal at all.
"""

from __future__ import annotations

from typing import Annotated, Any

from dishka import AsyncContainer
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import SecurityScheme
from litestar.params import HeaderParameter
from litestar.types import Guard

from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.principal import Principal
from devforge.domain.identity.errors import PermissionDenied
from devforge.domain.shared.permissions import Permission
from devforge.entrypoints.http.auth import authenticate_connection
from devforge.entrypoints.http.request_context import redact_path

BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
"""OpenAPI ``security`` of a protected route."""
BEARER_SCHEME = SecurityScheme(
    type="http",
    scheme="bearer",
    description="A session's access token, or an API key (`dfk_live_...`) where the route allows keys",
)

_STATE_KEY = "granted_principal"


def require(permission: Permission) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await authenticate_connection(connection)
        container: AsyncContainer = connection.state.dishka_container
        authorizer = await container.get(Authorizer)
        await authorizer(
            principal, permission, resource=f"{connection.scope.get('method', '')} {redact_path(connection.url.path)}"
        )
        connection.state[_STATE_KEY] = principal

    guard.__name__ = guard.__qualname__ = f"require_{permission.name.replace(':', '_')}"
    guard.permission = permission  # type: ignore[attr-defined]
    return guard


async def granted_principal(
    request: Request[Any, Any, Any],
    authorization: Annotated[
        str | None,
        HeaderParameter(
            name="Authorization", required=False, description="Bearer <access token> or Bearer <dfk_live_ API key>"
        ),
    ] = None,
) -> Principal:
    principal = request.state.get(_STATE_KEY)
    if not isinstance(principal, Principal):
        raise PermissionDenied("This route names no permission.")
    return principal


GRANTED = {"principal": Provide(granted_principal)}


def required_permission(handler: BaseRouteHandler) -> Permission | None:
    """The permission a route's guard demands (for tests and docs), None for public routes."""
    for guard in handler.resolve_guards():
        permission = getattr(guard, "permission", None)
        if isinstance(permission, Permission):
            return permission
    return None
