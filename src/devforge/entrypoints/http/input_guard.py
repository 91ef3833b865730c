"""Input refused at the door, before any use case sees it: bytes that are not UTF-8, control
characters in headers, JSON nested deeper than any body the API takes.

Each refusal is a 400 problem+json naming what is at fault (``body``, a query parameter, ``path``
or a header). Text fields themselves refuse control characters through their schema
(``devforge.entrypoints.http.schemas``), so msgspec names the field.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.exceptions import ValidationException
from litestar.types import ASGIApp, Scope

from devforge.entrypoints.http.problems import FieldError, problem
from devforge.entrypoints.http.steps import Check

MAX_JSON_DEPTH = 64
"""Deeper than any body the API takes (a few levels; a provider's webhook, about ten). msgspec
itself stops only at Python's recursion limit, with a ``RecursionError``."""
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_CONTROL_IN_HEADER = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_HEADER_TEXT = bytes(b for b in range(256) if not _CONTROL_IN_HEADER.match(bytes([b])))
_PLAIN = bytes(b for b in range(0x21, 0x7F) if b != 0x25)
"""Printable ASCII without ``%``: text as it stands, nothing escaped. Both are sets of bytes to
delete (``bytes.translate``): what is left is what needs a look, and mostly nothing is."""


class GuardedRequest(Request[Any, Any, Any]):
    """Litestar's request, whose JSON body must be UTF-8 and at most ``MAX_JSON_DEPTH`` deep."""

    async def json(self) -> Any:
        refuse_unreadable_json(await self.body())
        return await super().json()


def refuse_unreadable_json(body: bytes) -> None:
    try:
        body.decode("utf-8")  # strict: overlong forms (0xC0 0x80) and encoded surrogates are refused too
    except UnicodeDecodeError as error:
        _refuse("body", f"The body is not valid UTF-8 (byte {error.start}).")
    if json_depth(body) > MAX_JSON_DEPTH:
        _refuse("body", f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")


def json_depth(body: bytes) -> int:
    """How deep the arrays and objects of ``body`` nest (brackets inside strings do not count).
    Only a body with more brackets than the limit is scanned at all."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    for byte in _STRINGS.sub(b"", body).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


class InputGuard(Check):
    """The step of the pipeline (``pipeline.py``): the path, the query string and every header,
    checked before the route runs. The refusal is answered through the marks, so it carries
    the request id and the security headers."""

    def refusal(self, scope: Scope, _: object) -> ASGIApp | None:
        raw_path = scope.get("raw_path") or b""
        # The common request, in one call: printable ASCII path and query, nothing escaped (so
        # nothing to decode: measured, decoding was a tenth of what /health/live cost on top of
        # Litestar), and headers without control characters.
        if (
            raw_path
            and b"?" not in raw_path
            and not raw_path.translate(None, _PLAIN)
            and not scope.get("query_string", b"").translate(None, _PLAIN)
            and not b"\t".join([value for _, value in scope["headers"]]).translate(None, _HEADER_TEXT)
        ):
            return None
        refusal = _refusal(scope)
        if refusal is None:
            return None
        field, message = refusal
        response = problem(400, message, code="invalid_request", errors=[FieldError(field, message)])
        return response.to_asgi_response(app=None, request=Request(scope))


def _refusal(scope: Scope) -> tuple[str, str] | None:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    if b"?" in raw_path:
        raw_path = raw_path.split(b"?", 1)[0]
    query = scope.get("query_string", b"")
    if raw_path.translate(None, _PLAIN) or query.translate(None, _PLAIN):
        return _path_or_query_refusal(raw_path, query) or _header_refusal(scope)
    return _header_refusal(scope)


def _header_refusal(scope: Scope) -> tuple[str, str] | None:
    headers = scope["headers"]
    if not b"\t".join([value for _, value in headers]).translate(None, _HEADER_TEXT):  # a tab is allowed
        return None
    for name, value in headers:
        if _CONTROL_IN_HEADER.search(value):
            return name.decode("latin-1"), "Header values may not hold control characters."
    return None


def _path_or_query_refusal(raw_path: bytes, query: bytes) -> tuple[str, str] | None:
    if not _is_text(unquote_to_bytes(raw_path)):
        return "path", "The path is not valid UTF-8 or holds control characters."
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        decoded_name = unquote_to_bytes(name.replace(b"+", b" "))
        if not _is_text(decoded_name) or not _is_text(unquote_to_bytes(value.replace(b"+", b" "))):
            field = decoded_name.decode("utf-8", "replace") or "query"
            return field, "Query parameters must be valid UTF-8 without control characters."
    return None


def _is_text(raw: bytes) -> bool:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


def _refuse(field: str, message: str) -> None:
    raise ValidationException(message, extra=[{"key": field, "message": message}])
