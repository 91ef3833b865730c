"""Who is calling: the bearer access token, resolved once per request by the Authenticate use case."""

from __future__ import annotations

from typing import Annotated, Any

from dishka import AsyncContainer
from litestar import Request
from litestar.params import HeaderParameter

from devforge.application.identity.authenticate import Authenticate, Principal
from devforge.domain.identity.errors import SessionInvalid


async def current_principal(
    request: Request[Any, Any, Any],
    authorization: Annotated[
        str | None, HeaderParameter(name="Authorization", required=False, description="Bearer <access token>")
    ] = None,
) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SessionInvalid("Send an access token as 'Authorization: Bearer <token>'.")
    container: AsyncContainer = request.state.dishka_container
    authenticate = await container.get(Authenticate)
    return await authenticate(token.strip())
