"""A local stand-in for CloudFlare's cache purge API, on a real socket.

``POST /client/v4/zones/{zone}/purge_cache``: bearer token and zone checked, at most 30 files,
answers in CloudFlare's envelope (``success``, ``errors``, ``messages``, ``result``). It records
what was purged; ``fail_next`` makes the next call answer an error status."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeCloudflare:
    def __init__(self, zone_id: str, api_token: str) -> None:
        self.zone_id = zone_id
        self.api_token = api_token
        self.purged: list[list[str]] = []
        self.fail_next: int | None = None
        self.base_url = ""

    def handle(self, path: str, authorization: str | None, body: bytes) -> tuple[int, dict[str, Any]]:
        if authorization != f"Bearer {self.api_token}":
            return 403, _envelope(False, errors=[{"code": 10000, "message": "Authentication error"}])
        if path != f"/client/v4/zones/{self.zone_id}/purge_cache":
            return 404, _envelope(False, errors=[{"code": 7003, "message": "Could not route to " + path}])
        if self.fail_next is not None:
            status, self.fail_next = self.fail_next, None
            return status, _envelope(False, errors=[{"code": 971, "message": "Please wait and consider throttling"}])
        try:
            files = json.loads(body)["files"]
        except (ValueError, KeyError, TypeError):
            return 400, _envelope(False, errors=[{"code": 1012, "message": "Request must contain one of files"}])
        if not isinstance(files, list) or not files or len(files) > 30:
            return 400, _envelope(False, errors=[{"code": 1122, "message": "Exceeded the 30 files limit"}])
        self.purged.append(list(files))
        return 200, _envelope(True, result={"id": self.zone_id})


def _envelope(success: bool, *, errors: list[dict[str, Any]] | None = None, result: Any = None) -> dict[str, Any]:
    return {"success": success, "errors": errors or [], "messages": [], "result": result}


@contextmanager
def running_cloudflare(
    zone_id: str = "023e105f4ecef8ad9ca31a8372d0c353", api_token: str = "cf-test-token"
) -> Iterator[FakeCloudflare]:
    fake = FakeCloudflare(zone_id, api_token)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, payload = fake.handle(self.path, self.headers.get("Authorization"), body)
            encoded = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
