"""Who is calling: the bearer access token, resolved once per request by the Authenticate use case."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer
from litestar.connection import ASGIConnection

from devforge.application.identity.authenticate import Authenticate, Principal
from devforge.domain.identity.errors import SessionInvalid


async def authenticate_connection(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """``Authorization: Bearer <access token or dfk_live_ API key>`` -> the caller, or 401."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SessionInvalid("Send an access token as 'Authorization: Bearer <token>'.")
    container: AsyncContainer = connection.state.dishka_container
    authenticate = await container.get(Authenticate)
    return await authenticate(token.strip())
