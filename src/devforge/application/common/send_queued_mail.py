"""Send each queued mail once: the ``mail.send`` consumer of ``mail.queued``."""

from __future__ import annotations

from collections import OrderedDict
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.integration_events import EventEnvelope
from devforge.application.common.mail_outbox import MailOutbox, unseal
from devforge.application.common.mailer import Mailer
from devforge.application.common.published import MailQueuedV1
from devforge.application.common.secret_box import SecretBox


class SentMailMemo:
    """The mails this process has handed to the mailer, remembered in memory (the latest
    ``capacity``). When the send went through but recording it did not (the database went away
    in between), the retry finds the mail here and records it without sending it again. One per
    process."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._sent: OrderedDict[UUID, None] = OrderedDict()
        self._capacity = capacity

    def remember(self, mail_id: UUID) -> None:
        self._sent[mail_id] = None
        while len(self._sent) > self._capacity:
            self._sent.popitem(last=False)

    def __contains__(self, mail_id: object) -> bool:
        return mail_id in self._sent


class WhenMailQueuedSendIt:
    """Runs in the delivery's transaction like every consumer: the send is recorded (and the
    sealed body dropped) in the same commit as the delivery's DONE mark. So:

    - a mail already recorded as sent is never sent again;
    - a mail this process sent but could not record is recorded on the retry, not resent;
    - only a crash between the relay's acceptance and the commit makes another worker send it
      again, under the same Message-ID (the mail's id), which an idempotent relay drops and the
      Maildir never stores twice;
    - a failed send is retried by the delivery ledger (an unreachable server is waited out; a
      refusal counts toward the dead-letter limit)."""

    name = "mail.send"
    subscribes_to = (MailQueuedV1,)

    def __init__(self, mails: MailOutbox, mailer: Mailer, box: SecretBox, memo: SentMailMemo, clock: Clock) -> None:
        self._mails, self._mailer, self._box, self._memo, self._clock = mails, mailer, box, memo, clock

    async def handle(self, event: EventEnvelope) -> None:
        mail = await self._mails.get(MailQueuedV1.decode(event).mail_id)
        if mail is None or mail.sent_at is not None:
            return
        if mail.mail_id not in self._memo:
            await self._mailer.send(unseal(mail, self._box))
            self._memo.remember(mail.mail_id)
        mail.mark_sent(self._clock.now())
        await self._mails.save(mail)
