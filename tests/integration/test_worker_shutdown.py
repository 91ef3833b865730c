"""``devforge worker`` in the production profile stops on SIGTERM only once the job it is running
has finished: here the welcome mail of a new admin, held up by a slow SMTP relay."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.integration.backends import postgres_database
from tests.services import require_redis

DEVFORGE = Path(sys.executable).parent / "devforge"
# The production profile's caches use fixed key prefixes, so this test owns a Redis database of its own.
REDIS_URL = "redis://127.0.0.1:6379/13"
ADMIN = "Ada.Admin@Example.com"


class SlowRelay:
    """An SMTP relay that takes ``delay`` seconds to accept each message."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.receiving = threading.Event()
        self.accepted: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.receiving.set()
        await asyncio.sleep(self.delay)
        self.accepted.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def production_env() -> AsyncIterator[dict[str, str]]:
    require_redis()
    async with Redis.from_url(REDIS_URL) as redis:
        await redis.flushdb()
    async with postgres_database() as database_url:
        yield {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
            "DEVFORGE_PROFILE": "production",
            "DEVFORGE_ANALYTICS_STORE": "chdb",  # no ClickHouse here: each process keeps its own (unused) events
            "DEVFORGE_DATABASE_URL": database_url,
            "DEVFORGE_REDIS_URL": REDIS_URL,
            "DEVFORGE_SECRET_KEY": "s" * 48,
            "DEVFORGE_LOG_FORMAT": "json",
            "DEVFORGE_ARGON2_MEMORY_KIB": "1024",
            "DEVFORGE_ARGON2_TIME_COST": "1",
            "DEVFORGE_SMTP_TLS": "none",
            "DEVFORGE_PAYMENT_PROVIDER": "sandbox",  # Stripe would need its key to start
        }
    async with Redis.from_url(REDIS_URL) as redis:
        await redis.flushdb()


def log_entries(path: Path) -> list[dict[str, object]]:
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.startswith("{")]


def log_events(path: Path) -> list[object]:
    return [entry["event"] for entry in log_entries(path)]


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def delivery_statuses(database_url: str) -> list[str]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text("SELECT status FROM deliveries"))).scalars())
    finally:
        await engine.dispose()


async def test_sigterm_lets_the_job_in_flight_finish_then_exits_cleanly(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    relay, smtp_port = SlowRelay(delay=2.0), free_port()
    env = production_env | {"DEVFORGE_SMTP_HOST": "127.0.0.1", "DEVFORGE_SMTP_PORT": str(smtp_port)}
    created = subprocess.run(
        [str(DEVFORGE), "create-admin", "--email", ADMIN, "--password-stdin"],
        input="a long admin passphrase\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr

    controller = Controller(relay, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    log = tmp_path / "worker.log"
    with log.open("w") as stderr:
        worker = subprocess.Popen([str(DEVFORGE), "worker"], env=env, stderr=stderr, stdout=subprocess.DEVNULL)
    try:
        started = lambda: "worker_started" in log_events(log) or worker.poll() is not None  # noqa: E731
        await wait_until(started, 60, "worker_started")
        assert worker.poll() is None, log.read_text()
        await wait_until(relay.receiving.is_set, 20, "the welcome mail to reach the relay")

        worker.send_signal(signal.SIGTERM)
        await wait_until(lambda: worker.poll() is not None, 20, "the worker to exit after SIGTERM")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        controller.stop()

    assert worker.returncode == 0, log.read_text()
    assert [envelope.rcpt_tos for envelope in relay.accepted] == [["ada.admin@example.com"]]
    delivered = [entry for entry in log_entries(log) if entry["event"] == "event_delivered"]
    outcomes = {(entry["consumer"], entry["outcome"]) for entry in delivered}
    mail = {("identity.send_welcome_mail", "handled"), ("mail.send", "handled")}
    assert mail <= outcomes and len(delivered) == len(outcomes), log.read_text()  # each once
    order = log_events(log)
    assert len(order) - order[::-1].index("event_delivered") - 1 < order.index("worker_stopped"), order
    assert set(await delivery_statuses(production_env["DEVFORGE_DATABASE_URL"])) == {"done"}
