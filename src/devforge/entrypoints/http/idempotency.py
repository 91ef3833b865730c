"""``Idempotency-Key`` on POST: a retried request changes nothing twice and gets the same answer.

A key is scoped to the caller (a digest of the Authorization header, never the header itself),
the method and the path. The first request with a key runs; its answer, unless a 5xx, is kept
for 24 h and replayed to every retry with ``Idempotent-Replayed: true``. The same key with
another body is 422, and a retry while the first is still running is 409 with Retry-After.
Requests without the header pass through untouched, and so do two kinds of route, whose retry
simply runs again:
- ``opt={"answers_secrets": True}`` (sign-in, refresh, two-factor enrolment, new API keys, new
  license keys): their answers carry credentials, which are never kept in the cache;
- ``opt={"answers_current_state": True}`` (license validation, license-file checkout): pure reads
  whose answer is the state now. Running one twice changes nothing, and a kept answer would
  outlive the state it describes (a signed VALID replayed after the license was revoked).
"""

from __future__ import annotations

import hashlib

import msgspec
from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from devforge.application.common.idempotency import BeginOutcome, IdempotencyStore, StoredResponse
from devforge.entrypoints.http.app_container import ContainerOf, Taken
from devforge.entrypoints.http.problems import PROBLEM_JSON, FieldError, problem, send_problem
from devforge.entrypoints.http.route_table import RouteTable

HEADER = "Idempotency-Key"
KEEP_SECONDS = 24 * 60 * 60
_HEADER_RAW = HEADER.lower().encode()


def idempotent_posts(app: ASGIApp, container_of: ContainerOf, routes: RouteTable) -> ASGIApp:
    """The idempotency step of the pipeline (``pipeline.py``), a layer around the routes
    ``keeps_answers`` names."""
    return _Idempotency(app, container_of, routes)


def keeps_answers(method: str, route: BaseRouteHandler | None) -> bool:
    """Whether a request with a key to the route may be answered from a kept answer: a POST, to
    a route that neither answers secrets nor the current state (a path of no route is a POST
    too: its 404 or 405 is kept like any answer)."""
    if method != "POST":
        return False
    return not (route and (route.opt.get("answers_secrets") or route.opt.get("answers_current_state")))


class _Idempotency:
    def __init__(self, app: ASGIApp, container_of: ContainerOf, routes: RouteTable) -> None:
        self._app, self._container_of, self._routes = app, container_of, routes
        self._store = Taken[IdempotencyStore](IdempotencyStore)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") != "POST":
            await self._app(scope, receive, send)
            return
        raw_key = _header(scope, _HEADER_RAW)
        handler = self._routes.handler(scope) if raw_key is not None else None
        if raw_key is None or not keeps_answers("POST", handler):
            await self._app(scope, receive, send)
            return
        key = raw_key.decode("latin-1")
        if not 0 < len(key) <= 255 or not all(" " <= char <= "~" for char in key):
            message = f"{HEADER} must be 1 to 255 printable ASCII characters."
            await _send_problem(send, 400, message, "invalid_idempotency_key")
            return
        body = await _read_body(scope, handler, receive)
        if body is None:
            await send_problem(scope, receive, send, 413, "")
            return
        store = await self._store.of(self._container_of())
        scope_key = _scope_key(scope, key)
        begun = await store.begin(scope_key, hashlib.sha256(body).hexdigest(), KEEP_SECONDS)
        if begun.outcome is BeginOutcome.DONE and begun.response is not None:
            await _replay(send, begun.response)
        elif begun.outcome is BeginOutcome.MISMATCH:
            message = f"This {HEADER} was already used with a different request body."
            await _send_problem(send, 422, message, "idempotency_key_reused")
        elif begun.outcome is BeginOutcome.NEW:
            await self._run_once(store, scope_key, scope, _replaying(body, receive), send)
        else:
            message = f"A request with this {HEADER} is still being processed; retry shortly."
            await _send_problem(send, 409, message, "idempotency_key_in_use", {"Retry-After": "1"})

    async def _run_once(
        self, store: IdempotencyStore, scope_key: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.extend(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self._app(scope, receive, capture)
        except BaseException:
            await store.abandon(scope_key)
            raise
        if not 0 < status < 500:
            await store.abandon(scope_key)
            return
        kept = tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in headers)
        await store.finish(scope_key, StoredResponse(status, kept, b"".join(chunks)))


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope.get("headers", []) if key == name), None)


def _scope_key(scope: Scope, key: str) -> str:
    authorization = _header(scope, b"authorization")
    caller = hashlib.sha256(authorization).hexdigest() if authorization else "anonymous"
    return hashlib.sha256("\n".join((caller, "POST", scope["path"], key)).encode()).hexdigest()


async def _read_body(scope: Scope, handler: BaseRouteHandler | None, receive: Receive) -> bytes | None:
    """The whole body, within the route's size limit (the app's ``request_max_body_size``);
    None past it."""
    resolve = getattr(handler, "resolve_request_max_body_size", None)
    limit: int | None = resolve() if resolve else None
    announced = _header(scope, b"content-length")
    if limit is not None and announced is not None and announced.isdigit() and int(announced) > limit:
        return None
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if limit is not None and size > limit:
            return None
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The app reads the buffered body once, then whatever the server sends next (a disconnect)."""
    pending = [body]

    async def replay() -> ReceiveMessage:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": False}
        return await receive()

    return replay


async def _replay(send: Send, response: StoredResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def _send_problem(send: Send, status: int, detail: str, code: str, headers: dict[str, str] | None = None) -> None:
    answer = problem(status, detail, code=code, errors=[FieldError(HEADER, detail)], headers=headers)
    body = msgspec.json.encode(answer.content)
    raw_headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
