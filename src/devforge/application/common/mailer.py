from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class MailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None
    key: str | None = None
    """A stable, unique name for this message (the queued mail's id). The mailer derives the
    Message-ID from it alone, so sending the message again is recognisable as the same mail."""


class Mailer(Protocol):
    """Sends one message or raises. Not transactional. Consumers never call it directly: they
    post to ``OutgoingMail``, and the ``mail.send`` consumer calls the mailer once the post has
    committed (see ``send_queued_mail.py``). A message with a ``key`` always goes out under the
    same Message-ID, so a second send after a crash is a duplicate a relay can drop (the Maildir
    keeps one file per key by construction)."""

    async def send(self, message: MailMessage) -> None: ...
