"""The HTTP side of authorization: every protected route names its permission once.

``guards=[require(X)]`` authenticates the caller (session token or API key) and builds the
``Actor`` through the application's ``Authorizer`` before the request body is even read, so a
stranger learns nothing about a route's input. ``require(X, override=ADMIN)`` names the
administrative permission that widens the route to other people's records: an admin's session
gets it only with two-factor on (else 403 ``two_factor_required``), a key never. The route then
takes the caller as ``actor`` (other contexts) or ``principal`` (identity, which knows sessions)
(``dependencies=GRANTED``). A route that forgets its guard gets neither.
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

from devforge.application.common.actor import Actor
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

_PRINCIPAL, _ACTOR = "granted_principal", "granted_actor"
AuthorizationHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Authorization", required=False, description="Bearer <access token> or Bearer <dfk_live_ API key>"
    ),
]


def require(permission: Permission, *, override: Permission | None = None) -> Guard:
    if override is not None and not override.administrative:
        raise ValueError(f"{override.name} is no override: only administrative permissions widen a route")

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await authenticate_connection(connection)
        container: AsyncContainer = connection.state.dishka_container
        authorizer = await container.get(Authorizer)
        resource = f"{connection.scope.get('method', '')} {redact_path(connection.url.path)}"
        connection.state[_ACTOR] = await authorizer.actor(principal, permission, override=override, resource=resource)
        connection.state[_PRINCIPAL] = principal

    guard.__name__ = guard.__qualname__ = f"require_{permission.name.replace(':', '_')}"
    guard.permission = permission  # type: ignore[attr-defined]
    guard.override = override  # type: ignore[attr-defined]
    guard.ignores_handler = True  # type: ignore[attr-defined]  # guard_calls.py: no copy of the handler
    return guard


async def granted_principal(request: Request[Any, Any, Any], authorization: AuthorizationHeader = None) -> Principal:
    principal = request.state.get(_PRINCIPAL)
    if not isinstance(principal, Principal):
        raise PermissionDenied("This route names no permission.")
    return principal


async def granted_actor(request: Request[Any, Any, Any], authorization: AuthorizationHeader = None) -> Actor:
    actor = request.state.get(_ACTOR)
    if not isinstance(actor, Actor):
        raise PermissionDenied("This route names no permission.")
    return actor


GRANTED = {"principal": Provide(granted_principal), "actor": Provide(granted_actor)}


def required_permission(handler: BaseRouteHandler) -> Permission | None:
    """The permission a route's guard demands (for tests and docs), None for public routes."""
    for guard in handler.resolve_guards():
        permission = getattr(guard, "permission", None)
        if isinstance(permission, Permission):
            return permission
    return None


def administrative_grants(handler: BaseRouteHandler) -> frozenset[Permission]:
    """The administrative permissions a route's guard may grant (its own, or its override): the
    only way an administrative grant reaches an actor, so these are the administrative routes."""
    found: set[Permission] = set()
    for guard in handler.resolve_guards():
        for name in ("permission", "override"):
            permission = getattr(guard, name, None)
            if isinstance(permission, Permission) and permission.administrative:
                found.add(permission)
    return frozenset(found)
