"""Request id and access log: every log line of a request carries its id, and so does the answer."""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import time
from contextvars import Token

import structlog
from litestar.types import Scope

from devforge.entrypoints.http.steps import Headers, Mark
from devforge.entrypoints.logging import REQUEST_ID

log = structlog.get_logger("devforge.http")
_access = logging.getLogger("devforge.http")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_LICENSE_KEY_SEGMENT = re.compile(r"^(/api/licenses/)(?!(?:generate|validate|activate|deactivate|heartbeat)/?\Z)[^/]+")


def redact_path(path: str) -> str:
    """A license key in the path is a credential: ``/api/licenses/<key>`` is logged as ``/api/licenses/***``."""
    return _LICENSE_KEY_SEGMENT.sub(r"\1***", path)


_PROCESS = secrets.token_hex(8)
_SEQUENCE = itertools.count(1)


def request_id_for(scope: Scope) -> str:
    """A caller's ``X-Request-ID`` is kept when it looks like an id; otherwise one is made: 32 hex
    digits, this process's random half and a counter (unique without asking the OS for
    randomness on every request, which cost more than the rest of the id)."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            incoming = value.decode("latin-1")
            if _SAFE_ID.fullmatch(incoming):
                return incoming
            break
    return f"{_PROCESS}{next(_SEQUENCE):016x}"


def log_access(scope: Scope, status: int, started: float) -> None:
    if _access.isEnabledFor(logging.INFO):  # checked first: building the line costs more than the check
        log.info(
            "request",
            method=scope.get("method", ""),
            path=redact_path(scope["path"]),
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )


class RequestContext(Mark):
    """The step of the pipeline (``pipeline.py``): the request id is bound to every log line of
    the request and sent back as ``X-Request-ID`` on its answer; the access log line is written
    once it is answered."""

    def begin(self, scope: Scope) -> _Begun:
        request_id = request_id_for(scope)
        return (b"x-request-id", request_id.encode()), REQUEST_ID.set(request_id), time.perf_counter()

    def stamp(self, begun: _Begun, headers: Headers) -> None:
        headers.append(begun[0])

    def end(self, scope: Scope, begun: _Begun, status: int) -> None:
        _, bound, started = begun
        log_access(scope, status, started)
        REQUEST_ID.reset(bound)


_Begun = tuple[tuple[bytes, bytes], Token[str], float]
"""The ``X-Request-ID`` header, the bound id to reset and when the request came in (a plain
tuple: a named one costs a Python call a request)."""
