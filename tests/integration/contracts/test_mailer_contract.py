"""The ``Mailer`` contract: what is sent arrives with its recipient, subject, text and HTML.
Run on the in-memory mailer, a Maildir read back from disk, and SMTP against a real local
``aiosmtpd`` server that keeps what it receives."""

from __future__ import annotations

import email.utils
import mailbox
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

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


class SmtpInbox:
    """An ``aiosmtpd`` handler that keeps every envelope and accepts any login."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.logins: list[LoginPassword] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: object, session: object, envelope: object, mechanism: str, data: object
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append(data)
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
    wire: Callable[[], list[bytes]]  # the messages as they arrived; empty for the in-memory mailer

    def received(self) -> list[MailMessage]:
        if isinstance(self.mailer, InMemoryMailer):
            return list(self.mailer.sent)
        return [_as_mail_message(_parse(raw)) for raw in self.wire()]


def _parse(raw: bytes) -> EmailMessage:
    mime = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(mime, EmailMessage)
    return mime


def _as_mail_message(mime: EmailMessage) -> MailMessage:
    text, html = mime.get_body(("plain",)), mime.get_body(("html",))
    assert isinstance(text, EmailMessage)
    return MailMessage(
        to=str(mime["To"]),
        subject=str(mime["Subject"]),
        text=_lines(text.get_content()),
        html=_lines(html.get_content()) if isinstance(html, EmailMessage) else None,
    )


def _lines(content: str) -> str:
    # MIME bodies end with a newline and SMTP carries CRLF; the lines are what must arrive.
    return content.replace("\r\n", "\n").rstrip("\n")


def _build(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> MailerUnderTest:
    if name == "memory":
        return MailerUnderTest(InMemoryMailer(), list)
    if name == "maildir":
        directory = tmp_path / "mail" / "outbox"

        def delivered() -> list[bytes]:
            box = mailbox.Maildir(directory, create=False)
            return [box.get_bytes(key) for key in box.iterkeys()]

        return MailerUnderTest(MaildirMailer(directory, SENDER), delivered)
    inbox, port = request.getfixturevalue("smtp_server")
    mailer = SmtpMailer("127.0.0.1", port, SENDER, tls_mode="none")
    return MailerUnderTest(mailer, lambda: [envelope.content for envelope in inbox.envelopes])


@pytest.fixture(params=["memory", "maildir", "smtp"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> MailerUnderTest:
    return _build(request.param, tmp_path, request)


@pytest.fixture(params=["maildir", "smtp"])
def real(request: pytest.FixtureRequest, tmp_path: Path) -> MailerUnderTest:
    return _build(request.param, tmp_path, request)


async def test_a_text_message_arrives_as_sent(subject: MailerUnderTest) -> None:
    await subject.mailer.send(WELCOME)
    assert subject.received() == [WELCOME]


async def test_an_html_alternative_arrives_beside_the_text_with_non_ascii_intact(subject: MailerUnderTest) -> None:
    await subject.mailer.send(RECEIPT)
    assert subject.received() == [RECEIPT]


async def test_every_message_sent_arrives(subject: MailerUnderTest) -> None:
    await subject.mailer.send(WELCOME)
    await subject.mailer.send(RECEIPT)
    assert sorted(subject.received(), key=lambda m: m.to) == [WELCOME, RECEIPT]


async def test_real_mail_comes_from_the_sender_with_a_date_and_a_unique_message_id(real: MailerUnderTest) -> None:
    await real.mailer.send(WELCOME)
    await real.mailer.send(RECEIPT)
    mimes = [_parse(raw) for raw in real.wire()]
    assert {str(m["From"]) for m in mimes} == {SENDER}
    assert all(email.utils.parsedate_to_datetime(str(m["Date"])).tzinfo is not None for m in mimes)
    ids = {str(m["Message-ID"]) for m in mimes}
    assert len(ids) == 2
    assert all(i.startswith("<") and i.endswith("@devforge.example>") for i in ids)
    assert sorted(m.get_content_type() for m in mimes) == ["multipart/alternative", "text/plain"]


async def test_a_keyed_message_goes_out_under_the_same_message_id_every_time(real: MailerUnderTest) -> None:
    keyed = MailMessage(WELCOME.to, WELCOME.subject, WELCOME.text, key="6f1c2c52-3c1e-4a0e-9a57-54b4a1f3b1d2")
    await real.mailer.send(keyed)
    await real.mailer.send(keyed)  # a resend after a crash
    ids = [str(_parse(raw)["Message-ID"]) for raw in real.wire()]
    assert set(ids) == {"<6f1c2c52-3c1e-4a0e-9a57-54b4a1f3b1d2@devforge.example>"}
    # the Maildir stores one copy by construction; an SMTP relay receives the copy and can drop it
    assert len(ids) == (1 if isinstance(real.mailer, MaildirMailer) else 2)


async def test_the_maildir_keeps_one_copy_of_a_keyed_message_even_after_a_reader_moved_it(tmp_path: Path) -> None:
    directory = tmp_path / "mail"
    mailer = MaildirMailer(directory, SENDER)
    keyed = MailMessage(WELCOME.to, WELCOME.subject, WELCOME.text, key="a1b2c3")
    await mailer.send(keyed)
    [name] = [path.name for path in (directory / "new").iterdir()]
    (directory / "new" / name).rename(directory / "cur" / f"{name}:2,S")  # a mail client read it
    await mailer.send(keyed)
    await mailer.send(MailMessage(RECEIPT.to, RECEIPT.subject, RECEIPT.text, key="d4e5f6"))
    assert len(mailbox.Maildir(directory, create=False)) == 2
    assert list((directory / "tmp").iterdir()) == []


def test_a_message_key_is_letters_digits_and_dashes_only() -> None:
    with pytest.raises(ValueError, match="letters, digits and dashes"):
        build_mime(MailMessage("ann@example.com", "Hi", "x", key="a>b@evil"), SENDER)


def test_a_header_with_a_line_break_is_refused_so_headers_cannot_be_injected() -> None:
    with pytest.raises(ValueError, match="linefeed"):
        build_mime(MailMessage(to="ann@example.com", subject="Hi\r\nBcc: eve@example.com", text="x"), SENDER)


async def test_smtp_envelope_carries_the_bare_sender_and_recipient(smtp_server: tuple[SmtpInbox, int]) -> None:
    inbox, port = smtp_server
    await SmtpMailer("127.0.0.1", port, SENDER, tls_mode="none").send(WELCOME)
    [envelope] = inbox.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("noreply@devforge.example", ["ann@example.com"])


async def test_smtp_logs_in_with_the_configured_credentials(smtp_server: tuple[SmtpInbox, int]) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, SENDER, username="relay", password="s3cret", tls_mode="none")
    await mailer.send(WELCOME)
    assert [(login.login, login.password) for login in inbox.logins] == [(b"relay", b"s3cret")]
    assert len(inbox.envelopes) == 1


async def test_starttls_mode_refuses_to_send_in_clear_text(smtp_server: tuple[SmtpInbox, int]) -> None:
    inbox, port = smtp_server
    with pytest.raises(aiosmtplib.SMTPException):
        await SmtpMailer("127.0.0.1", port, SENDER, tls_mode="starttls", timeout=5).send(WELCOME)
    assert inbox.envelopes == []


async def test_a_failed_delivery_raises_so_the_job_retries() -> None:
    with pytest.raises(aiosmtplib.SMTPException):
        await SmtpMailer("127.0.0.1", _free_port(), SENDER, tls_mode="none", timeout=2).send(WELCOME)


@pytest.mark.parametrize(
    "settings",
    [{"tls_mode": "ssl"}, {"tls_mode": "STARTTLS"}, {"username": "relay"}, {"password": "s3cret"}],
)
def test_smtp_settings_are_checked_at_start_up(settings: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"tls_mode|username"):
        SmtpMailer("127.0.0.1", 25, SENDER, **settings)  # type: ignore[arg-type]
