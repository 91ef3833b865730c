"""Request id and access log: every log line of a request carries its id, and so does the answer."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("devforge.http")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_LICENSE_KEY_SEGMENT = re.compile(r"^(/api/licenses/)(?!(?:generate|validate|activate|deactivate|heartbeat)/?$)[^/]+")


def redact_path(path: str) -> str:
    """A license key in the path is a credential: ``/api/licenses/<key>`` is logged as ``/api/licenses/***``."""
    return _LICENSE_KEY_SEGMENT.sub(r"\1***", path)


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    """A caller's ``X-Request-ID`` is kept when it looks like an id; otherwise one is made."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope.get("method", ""),
                path=redact_path(scope["path"]),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()

    return middleware
