"""``devforge serve`` processes in the production profile (PostgreSQL, Redis), for the tests that
need real API processes: bursts, outages, draining."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import settings_for_tests
from tests.fakes.ports import free_port

DEVFORGE = Path(sys.executable).parent / "devforge"
# uvicorn closes a keep-alive connection idle for 5 s; httpx keeps one for 5 s too. A request sent
# on a connection the server is closing at that instant is reset (httpx.ReadError): the race of
# any HTTP/1.1 client, not the service's. The tests' clients let a connection go after 1 s idle.
KEEP_ALIVE_SECONDS = 1.0


def http_client(timeout: float = 5, max_connections: int | None = 100) -> httpx.AsyncClient:
    """A client for API processes that never reuses a connection the server may be closing."""
    limits = httpx.Limits(max_connections=max_connections, keepalive_expiry=KEEP_ALIVE_SECONDS)
    return httpx.AsyncClient(timeout=timeout, limits=limits)


@dataclass
class ApiProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def terminate(self, seconds: float) -> int | None:
        """SIGTERM, then the exit code if the process ended within ``seconds`` (None if not)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None


@contextmanager
def api_process(database_url: str, redis_url: str, folder: Path, name: str, **settings: str) -> Iterator[ApiProcess]:
    """One API process on a free port; ``settings`` are ``DEVFORGE_*`` values by field name.
    Killed on the way out if it is still there."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_PROFILE": "production",
        "DEVFORGE_ANALYTICS_STORE": "chdb",  # no ClickHouse here: each process keeps its own (unused) events
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",  # hashing is not what this checks
        "DEVFORGE_ARGON2_TIME_COST": "1",
        "DEVFORGE_DATABASE_URL": database_url,
        "DEVFORGE_REDIS_URL": redis_url,
        "DEVFORGE_SECRET_KEY": settings_for_tests().secret_key,
        "DEVFORGE_DATA_DIR": str(folder / name),
        "DEVFORGE_LOG_FORMAT": "json",
        "DEVFORGE_LOG_LEVEL": "warning",
        "DEVFORGE_DRAIN_SECONDS": "0.5",
        "DEVFORGE_WEBHOOK_SECRETS": "whsec_api_process_tests",
        "DEVFORGE_PAYMENT_PROVIDER": "sandbox",  # Stripe would need its key to start
    }
    env |= {f"DEVFORGE_{key.upper()}": value for key, value in settings.items()}
    log = folder / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(DEVFORGE), "serve", "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    served = ApiProcess(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_ready(served)
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_ready(served: ApiProcess, seconds: float = 180) -> None:
    """Start-up imports the whole service: on a loaded two-core machine that can take a minute."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"{served.url} exited at start-up: {served.log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{served.url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{served.url} never became ready")
