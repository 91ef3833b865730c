"""``POST /api/licenses/validate`` straight from the socket to the use case: the hottest call of
the service, made by every copy of the editor and of every paid extension."""

from __future__ import annotations

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from devforge.application.licensing.offline_files import RESPONSE_SIGNATURE_HEADER, OfflineLicenses
from devforge.application.licensing.validate_license import ValidateLicenseHandler
from devforge.entrypoints.http.app_container import ContainerOf, Taken
from devforge.entrypoints.http.licensing.schemas import ValidateLicenseRequest
from devforge.entrypoints.http.licensing.validation_answer import signed_answer, validate_command

PATH = "/api/licenses/validate"
_SIGNATURE = RESPONSE_SIGNATURE_HEADER.lower().encode()
_FULL_PATH_HEADERS = (b"idempotency-key", b"origin")
_DECODER = msgspec.json.Decoder(ValidateLicenseRequest)


class ValidateFastPath:
    """Answers a plain validation without Litestar; hands every other request to Litestar
    untouched (a body it read is replayed), so the Litestar route stays the one definition of the
    endpoint: its schema, its errors, its problem+json. It is an endpoint of the one pipeline
    (``pipeline.py``): the request id, the access log, the input guard, the "license" rate limit
    (the route's group) and the security headers are the pipeline's steps, run before it for
    every request, whichever endpoint answers.

    Rules:
    - Served here: ``POST /api/licenses/validate`` with no ``Idempotency-Key`` (idempotency takes
      the full path) and no ``Origin`` (CORS does), a body within ``max_body`` that decodes to the
      route's own ``ValidateLicenseRequest``, and a key in ``Authorization: License`` or the body.
    - Anything the validation raises (a malformed key, a database outage) goes to the route,
      which answers it as it always does (problem+json, 503 for an outage).
    The answer is the route's byte for byte (``signed_answer``).
    """

    def __init__(self, app: ASGIApp, container_of: ContainerOf, max_body: int) -> None:
        self._app, self._container_of, self._max_body = app, container_of, max_body
        self._handler = Taken[ValidateLicenseHandler](ValidateLicenseHandler)
        self._offline = Taken[OfflineLicenses](OfflineLicenses)

    @staticmethod
    def takes(method: str, path: str) -> bool:
        """The requests it may answer; the pipeline sends every other one to Litestar straight."""
        return method == "POST" and path == PATH

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"] != PATH or scope.get("method") != "POST":
            await self._app(scope, receive, send)
            return
        header_key = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, rest = value.decode("latin-1").partition(" ")
                header_key = rest.strip() if scheme.lower() == "license" and rest.strip() else None
            elif name in _FULL_PATH_HEADERS:
                await self._app(scope, receive, send)
                return
        chunks, complete = await self._read_body(receive)
        replay = _replaying(chunks, complete, receive)
        if not complete:
            await self._app(scope, replay, send)
            return
        try:
            data = _DECODER.decode(b"".join(chunks))
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
            # The route refuses it with a 400 naming the field (invalid UTF-8, too deep: input_guard.py).
            await self._app(scope, replay, send)
            return
        key = header_key or data.key
        if key is None:
            await self._app(scope, replay, send)
            return
        try:
            container = self._container_of()
            handler, offline = await self._handler.of(container), await self._offline.of(container)
            result = await handler(validate_command(data, key))
        except Exception:
            result = None
        if result is None:
            await self._app(scope, replay, send)
            return
        body, signature = signed_answer(result, data, offline)
        headers: list[tuple[bytes, bytes]] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (_SIGNATURE, signature.encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _read_body(self, receive: Receive) -> tuple[list[bytes], bool]:
        """The chunks read, and whether that is the whole body (False past ``max_body``)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return chunks, False
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self._max_body:
                return chunks, False
            if not message.get("more_body", False):
                return chunks, True


def _replaying(chunks: list[bytes], complete: bool, receive: Receive) -> Receive:
    """``receive`` as if nothing had been read: the chunks first, then the rest of the stream."""
    pending = list(chunks)

    async def replay() -> ReceiveMessage:
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending) or not complete}
        return await receive()  # the rest of the body, or after it what the server sends next

    return replay
