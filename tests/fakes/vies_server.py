"""A local stand-in for VIES's REST API (``POST /check-vat-number``), on a real socket.

It answers as VIES does: ``{"countryCode", "vatNumber", "requestDate", "valid", "requestIdentifier",
"name", "address", ...}``, with a consultation number (``requestIdentifier``) only when the request
names a requester; a number that is not letters and digits is ``INVALID_INPUT``. ``fail_with``
answers every call with that VIES error (``MS_UNAVAILABLE``, ``MS_MAX_CONCURRENT_REQ``,
``SERVICE_UNAVAILABLE``, ``TIMEOUT``...) in VIES's ``errorWrappers`` shape, ``fail_status`` with
that HTTP status, ``hang_seconds`` sleeps before answering, ``garbage`` answers non-JSON."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeVies:
    def __init__(self) -> None:
        self.registered: dict[str, str] = {}  # "FR12345678901" -> trader name
        self.requests: list[dict[str, Any]] = []
        self.fail_with: str | None = None
        self.fail_status: int | None = None
        self.hang_seconds = 0.0
        self.garbage = False
        self.base_url = ""
        self._consultations = 0

    def register(self, vat_id: str, name: str = "ACME SARL") -> None:
        self.registered[vat_id] = name

    def handle(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.hang_seconds:
            time.sleep(self.hang_seconds)
        if self.garbage:
            return 200, b"<html>maintenance</html>"
        if path.rstrip("/").rsplit("/", 1)[-1] != "check-vat-number":
            return 404, b'{"actionSucceed": false, "errorWrappers": [{"error": "NOT_FOUND"}]}'
        request = json.loads(body)
        self.requests.append(request)
        if self.fail_status is not None:
            return self.fail_status, b'{"actionSucceed": false, "errorWrappers": [{"error": "SERVICE_UNAVAILABLE"}]}'
        if self.fail_with is not None:
            return 200, _dumps({"actionSucceed": False, "errorWrappers": [{"error": self.fail_with, "message": "?"}]})
        country, number = request.get("countryCode", ""), request.get("vatNumber", "")
        if not number.isalnum():
            return 400, _dumps({"actionSucceed": False, "errorWrappers": [{"error": "INVALID_INPUT"}]})
        name = self.registered.get(country + number)
        answer: dict[str, Any] = {
            "countryCode": country,
            "vatNumber": number,
            "requestDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "valid": name is not None,
            "requestIdentifier": "",
            "name": name or "---",
            "address": "1 RUE DE LA PAIX, 75002 PARIS" if name else "---",
            "traderName": "",
            "traderStreet": "",
            "traderNameMatch": "NOT_PROCESSED",
        }
        if request.get("requesterMemberStateCode") and request.get("requesterNumber"):
            self._consultations += 1
            answer["requestIdentifier"] = f"WAPIAAAAW{self._consultations:07d}"
        return 200, _dumps(answer)


@contextmanager
def running_vies() -> Iterator[FakeVies]:
    fake = FakeVies()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, body = fake.handle(self.path, self.rfile.read(length))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(BrokenPipeError):  # the client gave up waiting (a timeout test)
                self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/taxation_customs/vies/rest-api"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def _dumps(answer: dict[str, Any]) -> bytes:
    return json.dumps(answer).encode()
