"""A public route that also serves signed-in callers: no credential is anonymous, a bad one is
refused (401) exactly as on a guarded route, so a stale token never downgrades silently."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request

from devforge.entrypoints.http.auth import authenticate_connection

MAYBE_BEARER: list[dict[str, list[str]]] = [{}, {"bearer": []}]
"""OpenAPI ``security`` of a public route that also takes a session token or an API key."""


async def signed_in_user(request: Request[Any, Any, Any]) -> UUID | None:
    if "authorization" not in request.headers:
        return None
    return (await authenticate_connection(request)).user_id
