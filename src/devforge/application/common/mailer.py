from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class MailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None


class Mailer(Protocol):
    """Sends one message or raises; callers run it from a job so a failure is retried."""

    async def send(self, message: MailMessage) -> None: ...
