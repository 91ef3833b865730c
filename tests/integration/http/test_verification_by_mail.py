"""Sign up over HTTP, read the verification mail where a real mailer put it (a Maildir on disk,
or an aiosmtpd server through SMTP), follow its link, and the account shows verified."""

from __future__ import annotations

import mailbox
import re
import socket
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from dishka import Provider, Scope

from devforge.adapters.mail.maildir_mailer import MaildirMailer
from devforge.adapters.mail.smtp_mailer import SmtpMailer
from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.mailer import Mailer
from tests.conftest import manual_clock_provider
from tests.integration.http.conftest import build_client
from tests.outbox_drain import drain

SENDER = "Dev Forge <noreply@devforge.example>"
PASSWORD = "correct horse battery staple"
Delivered = Callable[[], list[bytes]]


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(params=["maildir", "smtp"])
def real_mailer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Mailer, Delivered]]:
    if request.param == "maildir":
        folder = tmp_path / "mail"
        yield MaildirMailer(folder, SENDER), lambda: [m.as_bytes() for m in mailbox.Maildir(folder, create=False)]
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield (
        SmtpMailer("127.0.0.1", port, SENDER, tls_mode="none", timeout=5),
        lambda: [bytes(e.original_content or b"") for e in inbox.envelopes],
    )
    server.stop()


async def test_the_mailed_link_verifies_the_account(real_mailer: tuple[Mailer, Delivered], clock: ManualClock) -> None:
    mailer, delivered = real_mailer
    wiring = Provider(scope=Scope.APP)
    wiring.provide(lambda: mailer, provides=Mailer)
    client, container, _ = build_client(manual_clock_provider(clock), wiring)
    async with client:
        created = await client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
        assert created.status_code == 201
        await drain(container)
        [raw] = delivered()
        mail = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(mail, EmailMessage) and mail["To"] == "ada@example.com"
        body = mail.get_body(("plain",))
        assert isinstance(body, EmailMessage)
        [token] = re.findall(r"/verify-email#token=([A-Za-z0-9_-]+)", body.get_content())

        assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 204
        login = await client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
        me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {login.json()['accessToken']}"})
        assert me.json()["emailVerified"] is True
