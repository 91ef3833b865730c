"""Who is calling: the bearer access token, resolved once per request by the Authenticate use case."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer
from litestar.connection import ASGIConnection

from devforge.application.identity.authenticate import Authenticate, Principal, is_api_key
from devforge.application.identity.authenticate_api_key import AuthenticateApiKey
from devforge.domain.identity.errors import SessionInvalid


async def authenticate_connection(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """``Authorization: Bearer <access token or dfk_live_ API key>`` -> the caller, or 401."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SessionInvalid("Send an access token as 'Authorization: Bearer <token>'.")
    container: AsyncContainer = connection.state.dishka_container
    return await authenticate_bearer(container, token.strip())


async def authenticate_bearer(container: AsyncContainer, token: str) -> Principal:
    """The credential's kind picks its use case: an API key ``AuthenticateApiKey`` (a read, and
    at most once a minute a write in its unit of work), an access token ``Authenticate`` (one per
    process: no unit of work, no session built for a request that only needs to know its caller)."""
    if is_api_key(token):
        return await (await container.get(AuthenticateApiKey))(token)
    return await (await container.get(Authenticate))(token)
