from __future__ import annotations

import asyncio
import mailbox
from pathlib import Path

from devforge.adapters.mail.mime import build_mime
from devforge.application.common.mailer import MailMessage


class MaildirMailer:
    """Delivers each message into a Maildir (created, parents too, if missing) instead of the network, for
    development and demos: any mail client can open it. Maildir delivery is atomic (written
    to ``tmp/``, then moved to ``new/``), so readers never see half a message."""

    def __init__(self, directory: Path, sender: str) -> None:
        self._directory, self._sender = directory, sender

    async def send(self, message: MailMessage) -> None:
        mime = build_mime(message, self._sender)
        await asyncio.to_thread(self._deliver, mime.as_bytes())

    def _deliver(self, raw: bytes) -> None:
        # ``Maildir`` creates its own directory but not the parents.
        self._directory.parent.mkdir(parents=True, exist_ok=True)
        mailbox.Maildir(self._directory, create=True).add(raw)
