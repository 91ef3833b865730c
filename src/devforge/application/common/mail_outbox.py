"""Mail leaves through an outbox of its own: a consumer posts the message in its transaction,
and it is sent only once that transaction has committed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID, uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.mailer import MailMessage
from devforge.application.common.outbox import Outbox
from devforge.application.common.published import MailQueuedV1
from devforge.application.common.secret_box import SecretBox


@dataclass(slots=True)
class QueuedMail:
    """One message to send. Its body (which may carry a link token or a license key) is kept
    only sealed, and only until it is sent: ``mark_sent`` drops it."""

    mail_id: UUID
    sealed: str | None
    queued_at: datetime
    sent_at: datetime | None = None

    def mark_sent(self, now: datetime) -> None:
        self.sent_at = now
        self.sealed = None


class MailOutbox(Protocol):
    """Transactional, like the event outbox: a queued mail exists only if its transaction commits."""

    async def add(self, mail: QueuedMail) -> None: ...

    async def get(self, mail_id: UUID) -> QueuedMail | None: ...

    async def save(self, mail: QueuedMail) -> None: ...


def seal_context(mail_id: UUID) -> str:
    return f"queued-mail:{mail_id}"


class OutgoingMail:
    """What every mail consumer calls. ``post`` writes the sealed message and a ``mail.queued``
    event in the caller's transaction, so the mail and whatever it refers to (a link token
    minted a moment ago, a receipt's order) commit together or not at all: a mail is never sent
    for work that was rolled back, and a link in a sent mail always works. The mail keeps its
    id as its key, so every send of it carries the same Message-ID."""

    def __init__(self, mails: MailOutbox, outbox: Outbox, box: SecretBox, clock: Clock) -> None:
        self._mails, self._outbox, self._box, self._clock = mails, outbox, box, clock

    async def post(self, message: MailMessage) -> UUID:
        mail_id, now = uuid4(), self._clock.now()
        body = json.dumps({"to": message.to, "subject": message.subject, "text": message.text, "html": message.html})
        await self._mails.add(QueuedMail(mail_id, self._box.seal(body, context=seal_context(mail_id)), now))
        await self._outbox.add([MailQueuedV1(mail_id=mail_id).envelope(now, event_id=mail_id)])
        return mail_id


def unseal(mail: QueuedMail, box: SecretBox) -> MailMessage:
    if mail.sealed is None:
        raise ValueError(f"queued mail {mail.mail_id} was sent: its body is gone")
    body = json.loads(box.open(mail.sealed, context=seal_context(mail.mail_id)))
    return MailMessage(body["to"], body["subject"], body["text"], body["html"], key=str(mail.mail_id))
