"""An upload's body, as the chunks its client sent, for ``FileStorage.put_stream``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request


async def package_body(request: Request[Any, Any, Any]) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        if chunk:
            yield chunk
