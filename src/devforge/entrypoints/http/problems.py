"""Every error answer is RFC 9457 ``application/problem+json``; none carries a stack trace.

Domain errors map by family (see ``devforge.domain.shared.errors``); validation errors list
each field at fault; a backing service that is away (``ServiceUnavailable``, or a database
error that ``outage_of`` recognises) is a 503 with ``Retry-After``; anything else unexpected is
logged with its trace and answered as a bare 500 carrying the request id to quote.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.types import Receive, Scope, Send

from devforge.application.common.unavailable import ServiceUnavailable
from devforge.bootstrap.outages import outage_of
from devforge.domain.shared.errors import (
    Conflict,
    DomainError,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    TooLarge,
    TooManyAttempts,
)
from devforge.entrypoints.http.schemas import LINE_PATTERN, TEXT_PATTERN
from devforge.entrypoints.http.steps import Catch
from devforge.entrypoints.logging import REQUEST_ID

log = structlog.get_logger(__name__)
PROBLEM_JSON = "application/problem+json"


class FieldError(msgspec.Struct):
    field: str
    message: str


class ProblemDetails(msgspec.Struct, omit_defaults=True, rename={"request_id": "requestId"}):
    """RFC 9457 problem details, with ``code`` (stable, for programs) and the request id."""

    type: str
    title: str
    status: int
    detail: str = ""
    code: str = ""
    request_id: str = ""
    errors: list[FieldError] = msgspec.field(default_factory=list)


def problem(
    status: int,
    detail: str = "",
    *,
    code: str = "",
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[ProblemDetails]:
    phrase = HTTPStatus(status).phrase
    body = ProblemDetails(
        type=f"https://docs.devforge.dev/problems/{code or _slug(phrase)}",
        title=phrase,
        status=status,
        detail=detail,
        code=code or _slug(phrase),
        request_id=REQUEST_ID.get(),
        errors=errors or [],
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def send_problem(
    scope: Scope, receive: Receive, send: Send, status: int, detail: str, *, headers: dict[str, str] | None = None
) -> None:
    """Answers a problem from a step in front of Litestar (a 429), as Litestar's handlers would."""
    answer = problem(status, detail, headers=headers)
    await answer.to_asgi_response(app=None, request=Request(scope))(scope, receive, send)


_DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (TooLarge, 413),
    (NotAuthenticated, 401),
    (NotPermitted, 403),
    (NotFound, 404),
    (Conflict, 409),
)


def domain_error_handler(_: Request[Any, Any, Any], error: DomainError) -> Response[ProblemDetails]:
    status = next((code for family, code in _DOMAIN_STATUS if isinstance(error, family)), 422)
    errors = [FieldError(error.field, error.message)] if error.field else None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, TooManyAttempts):
        status, headers = 429, {"Retry-After": str(error.retry_after_seconds)}
    return problem(status, error.message, code=error.code, errors=errors, headers=headers)


def validation_error_handler(_: Request[Any, Any, Any], error: ValidationException) -> Response[ProblemDetails]:
    errors = [
        FieldError(_field_path(item), _readable(str(item.get("message", "invalid value"))))
        for item in (error.extra if isinstance(error.extra, list) else [])
        if isinstance(item, dict)
    ]
    detail = "The request body is not valid JSON." if "JSON" in str(error.detail) and not errors else str(error.detail)
    return problem(400, detail or "The request is not valid.", code="invalid_request", errors=errors)


def http_error_handler(_: Request[Any, Any, Any], error: HTTPException) -> Response[ProblemDetails]:
    headers = dict(error.headers or {})
    if isinstance(error, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", "Bearer")
    detail = error.detail if error.detail != HTTPStatus(error.status_code).phrase else ""
    return problem(error.status_code, detail, headers=headers or None)


def unavailable_error_handler(_: Request[Any, Any, Any], error: ServiceUnavailable) -> Response[ProblemDetails]:
    log.warning("service_unavailable", dependency=error.dependency)
    detail = f"A service this request needs ({error.dependency}) is unavailable; retry later."
    return problem(503, detail, code="service_unavailable", headers={"Retry-After": str(error.retry_after_seconds)})


def unexpected_error_handler(request: Request[Any, Any, Any], error: Exception) -> Response[ProblemDetails]:
    outage = outage_of(error)
    if outage is not None:
        return unavailable_error_handler(request, outage)
    log.exception("unhandled_error", error_type=type(error).__name__)
    return problem(500, "An unexpected error occurred; quote the request id when reporting it.")


def _slug(phrase: str) -> str:
    return phrase.lower().replace(" ", "_").replace("-", "_")


_PATTERN_MESSAGES = {
    f"matching regex {LINE_PATTERN!r}": "without control characters or line breaks",
    f"matching regex {TEXT_PATTERN!r}": "without control characters (tab and line breaks are fine)",
}


def _readable(message: str) -> str:
    """msgspec quotes the text patterns of ``schemas.py`` whole; say what they mean instead."""
    for pattern, meaning in _PATTERN_MESSAGES.items():
        message = message.replace(pattern, meaning)
    return message


def _field_path(item: dict[str, Any]) -> str:
    """Litestar reports msgspec's ``$.a.b`` path in the message; keep it as ``a.b``."""
    message = str(item.get("message", ""))
    if "at `$." in message:
        return message.split("at `$.", 1)[1].rstrip("`")
    return str(item.get("key") or item.get("source") or "body")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    ServiceUnavailable: unavailable_error_handler,
    Exception: unexpected_error_handler,
}

ERROR_MEDIA_TYPE = MediaType.JSON


class AnsweringErrors(Catch):
    """The step of the pipeline (``pipeline.py``): an error raised behind it (an idempotency
    store that is away, a body too large) is answered exactly as Litestar's handlers answer a
    route's: the handler of the nearest class in ``EXCEPTION_HANDLERS``."""

    async def answer(self, scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
        request: Request[Any, Any, Any] = Request(scope)
        handler = next(EXCEPTION_HANDLERS[kind] for kind in type(error).__mro__ if kind in EXCEPTION_HANDLERS)
        await handler(request, error).to_asgi_response(app=None, request=request)(scope, receive, send)
