"""Who is calling: the bearer access token, resolved once per request by the Authenticate use case."""

from __future__ import annotations

from typing import Annotated, Any

from dishka import AsyncContainer
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.params import HeaderParameter

from devforge.application.identity.authenticate import Authenticate, Principal
from devforge.domain.identity.errors import PermissionDenied, SessionInvalid


async def current_principal(
    request: Request[Any, Any, Any],
    authorization: Annotated[
        str | None, HeaderParameter(name="Authorization", required=False, description="Bearer <access token>")
    ] = None,
) -> Principal:
    """Authentication only, for session holders: a machine key is refused here; routes that
    keys may call name their permission with ``authorization.require``."""
    principal = await authenticate_connection(request)
    if principal.api_key_id is not None:
        raise PermissionDenied("API keys cannot be used here.")
    return principal


async def authenticate_connection(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """``Authorization: Bearer <access token or dfk_live_ API key>`` -> the caller, or 401."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SessionInvalid("Send an access token as 'Authorization: Bearer <token>'.")
    container: AsyncContainer = connection.state.dishka_container
    authenticate = await container.get(Authenticate)
    return await authenticate(token.strip())
