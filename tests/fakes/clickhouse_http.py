"""A ClickHouse server's HTTP interface for tests, answered by chDB (ClickHouse's own engine in
the process): the production adapter talks to it exactly as to a server (statements, inserts and
selects as POSTs with ClickHouse's parameters and credential headers), so its client path runs for
real, over HTTP, on the same SQL engine.

It checks the credentials the client sends and records each statement; ``failing`` makes it
answer 500s like a server in trouble. ``GET /ping`` answers ``Ok.`` without credentials, as a
server does. The production bench runs it in a process of its own (bench/clickhouse_standin.py)."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from devforge.adapters.analytics.chdb_store import ChdbStatements


class FakeClickHouse:
    def __init__(self, engine: ChdbStatements, user: str = "analytics", password: str = "s3cret") -> None:
        self.engine, self.user, self.password = engine, user, password
        self.statements: list[str] = []
        self.failing = False
        self.url = ""


def _handler(server: FakeClickHouse) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            if self.path == "/ping":
                self._answer(200, b"Ok.\n")
                return
            params = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            user = self.headers.get("X-ClickHouse-User")
            key = self.headers.get("X-ClickHouse-Key")
            if (user, key) != (server.user, server.password) and not self._basic_auth_matches():
                self._answer(516, b"Code: 516. DB::Exception: Authentication failed. (AUTHENTICATION_FAILED)")
                return
            statement = f"{params['query']} {body}" if "query" in params else body
            server.statements.append(statement)
            if server.failing:
                self._answer(500, b"Code: 999. DB::Exception: the fake is failing. (KEEPER_EXCEPTION)")
                return
            try:
                answer = server.engine.run(statement, params.get("default_format", "TabSeparated"))
            except RuntimeError as error:
                self._answer(500, str(error).encode())
                return
            self._answer(200, answer)

        do_GET = do_POST

        def _basic_auth_matches(self) -> bool:
            import base64

            header = self.headers.get("Authorization", "")
            expected = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
            return header == f"Basic {expected}"

    return Handler


@contextmanager
def fake_clickhouse(engine: ChdbStatements, port: int = 0) -> Iterator[FakeClickHouse]:
    server = FakeClickHouse(engine)
    http = ThreadingHTTPServer(("127.0.0.1", port), _handler(server))
    server.url = f"http://127.0.0.1:{http.server_port}"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
