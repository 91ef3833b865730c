"""``X-Forwarded-For`` through ``devforge serve`` as shipped: believed only from a proxy named in
``DEVFORGE_TRUSTED_PROXIES``. Otherwise a spoofed header changes neither the rate-limit key, nor
the audited address, nor the session's address, nor the new-sign-in mail."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from pathlib import Path

import httpx
import pytest

from tests.integration.test_serve_smoke import DEVFORGE, PASSWORD, free_port, wait_until

SPOOFED = [f"203.0.113.{n}" for n in range(1, 5)]


class Served:
    def __init__(self, url: str, data_dir: Path) -> None:
        self.url, self.data_dir = url, data_dir

    def audited_login_addresses(self) -> list[str]:
        with sqlite3.connect(self.data_dir / "devforge.db") as db:
            rows = db.execute("SELECT ip FROM auth_audit WHERE kind = 'login' ORDER BY at").fetchall()
        return [ip for (ip,) in rows]

    def sign_in_mail_bodies(self) -> list[str]:
        inbox = self.data_dir / "mail" / "new"
        mails = [message_from_bytes(p.read_bytes()) for p in inbox.iterdir()] if inbox.is_dir() else []
        notices = [m for m in mails if m["Subject"] == "New sign-in to your Dev Forge account"]
        return [part.get_payload(decode=True).decode() for m in notices for part in m.walk() if not part.is_multipart()]


@contextmanager
def serve(data_dir: Path, **settings: str) -> Iterator[Served]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_DATA_DIR": str(data_dir),
        "DEVFORGE_LOG_FORMAT": "json",
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",
        "DEVFORGE_ARGON2_TIME_COST": "1",
        "DEVFORGE_RATE_LIMIT_AUTH_PER_MINUTE": "4",  # one sign-up and three sign-ins
        **{f"DEVFORGE_{name.upper()}": value for name, value in settings.items()},
    }
    url = f"http://127.0.0.1:{port}"
    with (data_dir / "serve.log").open("w") as stderr:
        process = subprocess.Popen(
            [str(DEVFORGE), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )

    def ready() -> bool:
        assert process.poll() is None, (data_dir / "serve.log").read_text()
        try:
            return httpx.get(f"{url}/health/ready", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(ready, 120, "devforge serve to be ready")  # a loaded CI machine migrates slowly
        yield Served(url, data_dir)
    finally:
        process.kill()
        process.wait()


def sign_in_from_spoofed_addresses(served: Served) -> tuple[list[int], list[str]]:
    """Four sign-ins, each claiming another address; the statuses and the sessions' addresses."""
    with httpx.Client(base_url=served.url, timeout=10) as http:
        registered = http.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        answers = [
            http.post(
                "/api/auth/login",
                json={"email": "ada@example.com", "password": PASSWORD},
                headers={"X-Forwarded-For": address},
            )
            for address in SPOOFED
        ]
        token = answers[0].json()["accessToken"]
        sessions = http.get("/api/auth/sessions", headers={"Authorization": f"Bearer {token}"}).json()
    return [a.status_code for a in answers], sorted(s["ip"] for s in sessions)


@pytest.mark.xdist_group("served_forwarded_for")
def test_a_spoofed_forwarded_for_is_ignored_unless_the_proxy_is_configured(tmp_path: Path) -> None:
    (tmp_path / "direct").mkdir()
    with serve(tmp_path / "direct") as served:
        statuses, session_addresses = sign_in_from_spoofed_addresses(served)
        # One rate-limit key (the peer's), so the fourth sign-in is over the limit of four.
        assert statuses == [200, 200, 200, 429]
        assert session_addresses == ["127.0.0.1"] * 3
        assert served.audited_login_addresses() == ["127.0.0.1"] * 3
        wait_until(lambda: len(served.sign_in_mail_bodies()) >= 6, 15, "three new-sign-in mails (text and HTML)")
        bodies = served.sign_in_mail_bodies()
        assert all("127.0.0.1" in body and "203.0.113" not in body for body in bodies), bodies

    (tmp_path / "proxied").mkdir()
    with serve(tmp_path / "proxied", trusted_proxies="127.0.0.0/8") as served:
        statuses, session_addresses = sign_in_from_spoofed_addresses(served)
        # Behind the configured proxy each forwarded client has a rate-limit key of its own.
        assert statuses == [200, 200, 200, 200]
        assert session_addresses == sorted(SPOOFED)
        assert served.audited_login_addresses() == SPOOFED
        wait_until(lambda: len(served.sign_in_mail_bodies()) >= 8, 15, "four new-sign-in mails (text and HTML)")
        mailed = {address for address in SPOOFED if any(address in body for body in served.sign_in_mail_bodies())}
        assert mailed == set(SPOOFED)
