"""An SMTP outage delays mail and loses none: queued mails fail, wait in the delivery ledger
without using up their attempts, and once the server is back each arrives exactly once, its link
still good."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.mail.smtp_mailer import SmtpMailer
from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.deliveries import DeliveryLedger, DeliveryStatus
from devforge.application.common.mailer import Mailer
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.application.identity.verify_email import VerifyEmail, VerifyEmailHandler
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.account_recovery import SqlaOneTimeTokenProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from devforge.entrypoints.worker.runtime import WorkerRuntime
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.integration.backends import postgres_database, sqlite_database
from tests.outbox_drain import relay

SENDER = "Dev Forge <noreply@devforge.example>"
USERS = [f"user{n}@example.com" for n in range(4)]


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_mailer(port: int) -> Provider:
    provider = Provider(scope=Scope.APP)
    provider.provide(lambda: SmtpMailer("127.0.0.1", port, SENDER, tls_mode="none", timeout=5), provides=Mailer)
    return provider


@asynccontextmanager
async def container_on(backend: str, folder: Path, *overrides: Provider) -> AsyncIterator[AsyncContainer]:
    if backend == "memory":
        container = make_container(settings_for_tests(), *overrides, base=memory_providers())
        yield container
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        sql = (SqlaPersistenceProvider(), SqlaIdentityProvider(), SqlaOneTimeTokenProvider())
        container = make_container(settings_for_tests(database_url=url), *sql, *overrides, base=memory_providers())
        try:
            yield container
        finally:
            await container.close()


@pytest.mark.parametrize("backend", ["memory", "sqlite", "postgres"])
async def test_mails_queued_during_an_outage_arrive_exactly_once_after_it(backend: str, tmp_path: Path) -> None:
    clock, inbox, port = ManualClock(), Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    async with container_on(backend, tmp_path, manual_clock_provider(clock), smtp_mailer(port)) as container:
        for email in USERS:
            async with container() as scope:
                await (await scope.get(RegisterUserHandler))(RegisterUser(email, "correct horse battery staple"))
        worker = WorkerRuntime(container)
        relayed = await relay(container)
        welcomes = [job for job in relayed if job.consumer == "identity.send_welcome_mail"]
        for job in relayed:  # a registration's other consumers (analytics' server fact...) are done first
            if job not in welcomes:
                await worker.deliver_event(job)
        assert len(welcomes) == len(USERS)

        server.stop()  # the SMTP server goes down with every welcome mail queued
        for job in welcomes:  # each consumer mints its token and posts its mail
            await worker.deliver_event(job)
        jobs = await relay(container)
        assert [job.consumer for job in jobs] == ["mail.send"] * len(USERS)
        for job in jobs:
            await worker.deliver_event(job)
        async with container() as scope:
            ledger = await scope.get(DeliveryLedger)
            pending = [await ledger.get(job.event_id, job.consumer) for job in jobs]
        # an unreachable server is an outage: the mail waits without using up its attempts
        assert all(d is not None and d.status is DeliveryStatus.PENDING and d.attempts == 0 for d in pending)
        assert all(d is not None and d.next_attempt_at > clock.now() and d.last_error for d in pending)
        assert await relay(container) == []  # backing off: nothing is due yet

        server = Controller(inbox, hostname="127.0.0.1", port=port)  # back, on the same port
        server.start()
        try:
            clock.advance(timedelta(minutes=5))
            retried = await relay(container)
            assert len(retried) == len(USERS)
            for job in retried + retried:  # the queue may deliver a job twice
                await worker.deliver_event(job)
            clock.advance(timedelta(hours=1))
            assert await relay(container) == []  # all done: nothing left to retry
        finally:
            server.stop()

        received = [BytesParser(policy=policy.default).parsebytes(e.content) for e in inbox.envelopes]  # type: ignore[arg-type]
        assert sorted(str(m["To"]) for m in received) == USERS
        for mail in received:  # each link works: the token minted with the mail that arrived is the one stored
            text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            [token] = re.findall(r"#token=([A-Za-z0-9_-]+)", text)
            async with container() as scope:
                await (await scope.get(VerifyEmailHandler))(VerifyEmail(token))
