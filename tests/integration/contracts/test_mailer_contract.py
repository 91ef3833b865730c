"""The ``Mailer`` contract: what is sent arrives with its recipient, subject, text and HTML.
Run on the in-memory mailer, a Maildir read back from disk, and SMTP against a real local
``aiosmtpd`` server."""

from __future__ import annotations

import email.utils
import mailbox
import socket
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope

from devforge.adapters.mail.maildir_mailer import MaildirMailer
from devforge.adapters.mail.mime import build_mime
from devforge.adapters.mail.smtp_mailer import SmtpMailer
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.common.mailer import MailMessage

SENDER = "Dev Forge <noreply@devforge.example>"
WELCOME = MailMessage(to="ann@example.com", subject="Welcome", text="Hello Ann,\n\nwelcome aboard.")
RECEIPT = MailMessage(
    to="bob@example.com",
    subject="Reçu n° 42 ✓",
    text="Merci, Bob. Total: 12,00 €",
    html="<p>Merci, <b>Bob</b>. Total: 12,00 €</p>",
)


@dataclass(frozen=True)
class Received:
    to: str
    subject: str
    text: str
    html: str | None


def _received(raw: bytes) -> tuple[Received, EmailMessage]:
    mime = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(mime, EmailMessage)
    html = mime.get_body(("html",))
    text = mime.get_body(("plain",))
    assert text is not None
    return Received(
        to=str(mime["To"]),
        subject=str(mime["Subject"]),
        text=_lines(text.get_content()),
        html=None if html is None else _lines(html.get_content()),
    ), mime


def _lines(content: str) -> str:
    # MIME bodies end with a newline and SMTP carries CRLF; the lines are what must arrive.
    return content.replace("\r\n", "\n").rstrip("\n")


class SmtpInbox:
    """An ``aiosmtpd`` handler that keeps every envelope and accepts any login."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        self.logins.append((data.login, data.password))  # type: ignore[attr-defined]
        return AuthResult(success=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[SmtpInbox, int]]:
    inbox, port = SmtpInbox(), _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate, auth_require_tls=False
    )
    controller.start()
    yield inbox, port
    controller.stop()


@dataclass
class MailerUnderTest:
    mailer: InMemoryMailer | MaildirMailer | SmtpMailer
    read_back: Callable[[], Awaitable[list[Received]]]


def _subject(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> MailerUnderTest:
    if name == "memory":
        memory = InMemoryMailer()

        async def sent() -> list[Received]:
            return [Received(m.to, m.subject, m.text, m.html) for m in memory.sent]

        return MailerUnderTest(memory, sent)
    if name == "maildir":
        directory = tmp_path / "mail" / "outbox"

        async def delivered() -> list[Received]:
            box = mailbox.Maildir(directory, create=False)
            return [_received(box.get_bytes(key))[0] for key in box.keys()]

        return MailerUnderTest(MaildirMailer(directory, SENDER), delivered)
    inbox, port = request.getfixturevalue("smtp_server")

    async def relayed() -> list[Received]:
        return [_received(envelope.content)[0] for envelope in inbox.envelopes]

    return MailerUnderTest(SmtpMailer("127.0.0.1", port, SENDER, tls_mode="none"), relayed)


@pytest.fixture(params=["memory", "maildir", "smtp"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> MailerUnderTest:
    return _subject(request.param, tmp_path, request)


@pytest.fixture(params=["maildir", "smtp"])
def real(request: pytest.FixtureRequest, tmp_path: Path) -> MailerUnderTest:
    return _subject(request.param, tmp_path, request)


async def test_a_text_message_arrives_as_sent(subject: MailerUnderTest) -> None:
    await subject.mailer.send(WELCOME)
    assert await subject.read_back() == [Received(WELCOME.to, WELCOME.subject, WELCOME.text, None)]


async def test_an_html_alternative_arrives_beside_the_text_with_non_ascii_intact(subject: MailerUnderTest) -> None:
    await subject.mailer.send(RECEIPT)
    assert await subject.read_back() == [Received(RECEIPT.to, RECEIPT.subject, RECEIPT.text, RECEIPT.html)]


async def test_every_message_sent_arrives(subject: MailerUnderTest) -> None:
    await subject.mailer.send(WELCOME)
    await subject.mailer.send(RECEIPT)
    assert sorted(r.subject for r in await subject.read_back()) == sorted([WELCOME.subject, RECEIPT.subject])


async def test_real_mail_is_from_the_sender_with_a_date_and_a_unique_message_id(real: MailerUnderTest) -> None:
    await real.mailer.send(WELCOME)
    await real.mailer.send(RECEIPT)
    mimes = [_received(raw)[1] for raw in await _raw_messages(real)]
    assert {str(m["From"]) for m in mimes} == {SENDER}
    assert all(email.utils.parsedate_to_datetime(str(m["Date"])).tzinfo is not None for m in mimes)
    ids = [str(m["Message-ID"]) for m in mimes]
    assert len(set(ids)) == 2
    assert all(i.startswith("<") and i.endswith("@devforge.example>") for i in ids)
    assert sorted(m.get_content_type() for m in mimes) == ["multipart/alternative", "text/plain"]


async def _raw_messages(real: MailerUnderTest) -> list[bytes]:
    if isinstance(real.mailer, MaildirMailer):
        box = mailbox.Maildir(real.mailer._directory, create=False)
        return [box.get_bytes(key) for key in box.keys()]
    inbox: SmtpInbox = real.read_back.__closure__[0].cell_contents  # type: ignore[index]
    return [envelope.content for envelope in inbox.envelopes]
