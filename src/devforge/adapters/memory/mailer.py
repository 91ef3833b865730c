from __future__ import annotations

from devforge.application.common.mailer import MailMessage


class InMemoryMailer:
    """Keeps sent messages in ``sent`` for tests to read."""

    def __init__(self) -> None:
        self.sent: list[MailMessage] = []

    async def send(self, message: MailMessage) -> None:
        self.sent.append(message)
