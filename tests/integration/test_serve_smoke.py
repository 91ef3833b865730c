"""Smoke test of ``devforge serve`` as shipped: the embedded profile on a fresh data folder, over
real HTTP. Sign-up, sign-in and "who am I" work, errors are problem+json, the in-process worker
sends the welcome mail, and SIGTERM shuts the server down gracefully."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import httpx
import pytest

DEVFORGE = Path(sys.executable).parent / "devforge"
AUTH_PATHS = {"/api/auth/register", "/api/auth/login", "/api/auth/me", "/api/auth/logout", "/api/auth/refresh"}
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def log_events(path: Path) -> list[object]:
    return [json.loads(line)["event"] for line in path.read_text().splitlines() if line.startswith("{")]


class Server:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def ready(self) -> bool:
        assert self.process.poll() is None, f"devforge serve exited early:\n{self.log.read_text()}"
        try:
            return httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200
        except httpx.TransportError:
            return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_DATA_DIR": str(tmp_path),
        "DEVFORGE_LOG_FORMAT": "json",
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",
        "DEVFORGE_ARGON2_TIME_COST": "1",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(DEVFORGE), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_served_api_works_end_to_end_and_shuts_down_gracefully(server: Server, tmp_path: Path) -> None:
    # Start-up imports, migrates and boots; a loaded CI machine takes a while.
    wait_until(server.ready, 60, "GET /health/ready to answer 200")

    with httpx.Client(base_url=server.url, timeout=10) as http:
        assert http.get("/schema").status_code == 200
        paths = http.get("/schema/openapi.json").json()["paths"]
        assert set(paths) >= AUTH_PATHS, sorted(paths)

        registered = http.post("/api/auth/register", json={"email": " Ada.Lovelace@Example.COM ", "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        assert registered.headers["x-request-id"]
        login = http.post("/api/auth/login", json={"email": "ada.lovelace@example.com", "password": PASSWORD})
        assert login.status_code == 200, login.text
        token = login.json()["accessToken"]
        me = http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["email"] == "ada.lovelace@example.com"

        malformed = http.post(
            "/api/auth/login", content=b'{"email": "ada@', headers={"Content-Type": "application/json"}
        )
        assert malformed.status_code == 400, malformed.text
        assert malformed.headers["content-type"].startswith("application/problem+json")

    inbox = tmp_path / "mail" / "new"

    def welcome_mails() -> list[Message]:
        mails = [message_from_bytes(path.read_bytes()) for path in inbox.iterdir()] if inbox.is_dir() else []
        return [mail for mail in mails if mail["Subject"] == "Welcome to Dev Forge"]  # beside the sign-in notice

    wait_until(lambda: bool(welcome_mails()), 10, "the welcome mail in the maildir")
    [mail] = welcome_mails()
    assert mail["To"] == "ada.lovelace@example.com"

    server.process.send_signal(signal.SIGTERM)
    exit_code = server.process.wait(timeout=20)
    # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught (exit status 143), by design.
    assert exit_code in (0, -signal.SIGTERM), server.log.read_text()
    events = log_events(server.log)
    assert "Application shutdown complete." in events, events
    assert events.index("worker_stopped") < events.index("Application shutdown complete."), events
