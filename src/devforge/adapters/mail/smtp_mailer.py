from __future__ import annotations

import aiosmtplib

from devforge.adapters.mail.mime import build_mime, envelope_address
from devforge.application.common.mailer import MailMessage

TLS_MODES = ("none", "starttls", "tls")


class SmtpMailer:
    """Sends through an SMTP relay, one connection per message (mail goes out from jobs, so a
    pooled connection would buy little). ``tls_mode`` is explicit: ``"tls"`` is implicit TLS
    (port 465), ``"starttls"`` requires the upgrade and fails rather than send in clear text,
    ``"none"`` is only for a relay on a trusted network. Any failure raises, so the job retries."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        tls_mode: str = "starttls",
        timeout: float = 10.0,
    ) -> None:
        if tls_mode not in TLS_MODES:
            raise ValueError(f"tls_mode must be one of {', '.join(TLS_MODES)}, not {tls_mode!r}.")
        if (username is None) != (password is None):
            raise ValueError("SMTP username and password go together.")
        self._host, self._port, self._sender = host, port, sender
        self._username, self._password = username, password
        self._tls_mode, self._timeout = tls_mode, timeout

    async def send(self, message: MailMessage) -> None:
        await aiosmtplib.send(
            build_mime(message, self._sender),
            sender=envelope_address(self._sender),
            recipients=[envelope_address(message.to)],
            hostname=self._host,
            port=self._port,
            username=self._username,
            password=self._password,
            use_tls=self._tls_mode == "tls",
            start_tls=self._tls_mode == "starttls",
            timeout=self._timeout,
        )
