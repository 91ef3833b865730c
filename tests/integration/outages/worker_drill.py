"""What the worker drills share: ``devforge worker`` processes in the production profile, an SMTP
relay that keeps every copy it accepts (and can be slow, so mails are in flight), mail produced
by registering accounts, and checks on the delivery ledger and on the links in the mail."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from dishka import AsyncContainer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from devforge.application.identity.published import UserRegisteredV1
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.verify_email import VerifyEmail, VerifyEmailHandler
from devforge.bootstrap.consumers import subscriptions
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.account_recovery import SqlaOneTimeTokenProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from tests.conftest import settings_for_tests
from tests.fakes.ports import free_port

DEVFORGE = Path(sys.executable).parent / "devforge"
PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r"#token=([A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class Received:
    message_id: str
    to: str
    text: str


class Relay:
    """An aiosmtpd relay that takes ``delay`` seconds to accept each message and keeps every copy
    it accepted, even one whose sender died before hearing the 250 (as a real relay would have
    queued it). ``unique`` is what an idempotent relay forwards: one copy per Message-ID."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay, self.port = delay, free_port()
        self.copies: list[Received] = []
        self.in_flight = 0
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        with self._lock:
            self.in_flight += 1
        try:
            await asyncio.sleep(self.delay)
            mail = BytesParser(policy=policy.default).parsebytes(envelope.content)  # type: ignore[arg-type]
            assert isinstance(mail, EmailMessage)
            body = mail.get_body(("plain",))
            assert isinstance(body, EmailMessage)
            with self._lock:
                self.copies.append(Received(str(mail["Message-ID"]), str(mail["To"]), body.get_content()))
            return "250 Message accepted for delivery"
        finally:
            with self._lock:
                self.in_flight -= 1

    def unique(self) -> dict[str, Received]:
        with self._lock:
            return {copy.message_id: copy for copy in self.copies}

    def recipients(self) -> list[str]:
        return sorted(copy.to for copy in self.unique().values())

    @contextmanager
    def running(self) -> Iterator[Relay]:
        self._controller.start()
        try:
            yield self
        finally:
            self._controller.stop()


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def events(self) -> list[dict[str, object]]:
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        return [json.loads(line) for line in lines if line.startswith("{")]

    def logged(self, event: str) -> int:
        return sum(1 for entry in self.events() if entry.get("event") == event)

    def seconds_between(self, first: str, last: str) -> float:
        """From the first ``first`` line to the last ``last`` line of its log, by the log's own
        clock (a machine under load takes its time to start a process; that is not measured)."""
        entries = self.events()
        start = next(e["timestamp"] for e in entries if e["event"] == first)
        end = [e["timestamp"] for e in entries if e["event"] == last][-1]
        return (datetime.fromisoformat(str(end)) - datetime.fromisoformat(str(start))).total_seconds()


@contextmanager
def worker(database_url: str, redis_url: str, relay: Relay, folder: Path, name: str, **settings: str) -> Iterator[
    Worker
]:  # fmt: skip
    """One ``devforge worker`` in the production profile; ``settings`` are ``DEVFORGE_*`` values by
    field name. Stopped with SIGTERM on the way out if it is still running (killed if that fails)."""
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
        "DEVFORGE_SMTP_HOST": "127.0.0.1",
        "DEVFORGE_SMTP_PORT": str(relay.port),
        "DEVFORGE_SMTP_TLS": "none",
        "DEVFORGE_MAIL_FROM": "Dev Forge <no-reply@devforge.example>",
        "DEVFORGE_PAYMENT_PROVIDER": "sandbox",  # no Stripe key here: keep its reconcilers quiet
    }
    env |= {f"DEVFORGE_{key.upper()}": value for key, value in settings.items()}
    log = folder / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen([str(DEVFORGE), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=output)
    try:
        yield Worker(process, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        process.wait()


def sql_container(database_url: str) -> AsyncContainer:
    """The service's use cases on the drill's database (the rest in memory), as the API would run them."""
    return make_container(
        settings_for_tests(database_url=database_url),
        SqlaPersistenceProvider(),
        SqlaIdentityProvider(),
        SqlaOneTimeTokenProvider(),
        SqlaLicensingProvider(),
        base=memory_providers(),
    )


async def register(database_url: str, emails: list[str]) -> None:
    """Each registration commits a ``user_registered`` event: one welcome mail each."""
    container = sql_container(database_url)
    try:
        for email in emails:
            async with container() as scope:
                await (await scope.get(RegisterUserHandler))(RegisterUser(email, PASSWORD))
    finally:
        await container.close()


async def redeem_links(database_url: str, mails: list[Received]) -> None:
    """Every mail's verification link works: its token is the one stored with the account."""
    container = sql_container(database_url)
    try:
        for mail in mails:
            [token] = TOKEN.findall(mail.text)
            async with container() as scope:
                await (await scope.get(VerifyEmailHandler))(VerifyEmail(token))
    finally:
        await container.close()


async def deliveries(database_url: str) -> dict[str, int]:
    """How many deliveries are in each status (``pending``, ``done``, ``dead``), and under
    ``unrelayed`` how many outbox events have no deliveries opened yet."""
    # one snapshot for both counts: a relay committing between them must not hide its events
    engine = create_async_engine(database_url, poolclass=NullPool, isolation_level="REPEATABLE READ")
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT status, count(*) FROM deliveries GROUP BY status"))
            counts = {status: int(count) for status, count in rows}
            unrelayed = await connection.execute(text("SELECT count(*) FROM outbox WHERE relayed_at IS NULL"))
            return counts | {"unrelayed": int(unrelayed.scalar_one())}
    finally:
        await engine.dispose()


def deliveries_per_account() -> int:
    """A registration's deliveries: one per consumer of ``UserRegisteredV1`` (the welcome mail's,
    analytics' server fact...) plus the welcome mail's own ``mail.send``. Read from the registry, so
    a context that subscribes later does not break the drills' arithmetic."""
    return len(subscriptions().consumers_of(UserRegisteredV1.NAME)) + 1


async def all_delivered(database_url: str, accounts: int) -> bool:
    """The deliveries of ``accounts`` registrations, every one DONE (a database still restarting
    counts as not yet)."""
    expected = accounts * deliveries_per_account()
    try:
        counts = await deliveries(database_url)
    except Exception:
        return False
    return counts.pop("unrelayed") == 0 and counts.get("done", 0) == expected and sum(counts.values()) == expected


async def eventually(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        await asyncio.sleep(0.1)
