from __future__ import annotations

import asyncio
import mailbox
import os
import uuid
from pathlib import Path

from devforge.adapters.mail.mime import build_mime
from devforge.application.common.mailer import MailMessage


class MaildirMailer:
    """Delivers each message into a Maildir (created, parents too, if missing) instead of the network, for
    development and demos: any mail client can open it. Maildir delivery is atomic (written
    to ``tmp/``, then moved to ``new/``), so readers never see half a message.

    A message with a key is stored under a file name made of the key alone (``<key>.devforge``),
    linked into ``new/`` only if no file of that name is in ``new/`` or ``cur/`` yet: sending it
    again, even from two processes at once, leaves one copy."""

    def __init__(self, directory: Path, sender: str) -> None:
        self._directory, self._sender = directory, sender

    async def send(self, message: MailMessage) -> None:
        mime = build_mime(message, self._sender)
        await asyncio.to_thread(self._deliver, mime.as_bytes(), message.key)

    def _deliver(self, raw: bytes, key: str | None) -> None:
        # ``Maildir`` creates its own directory but not the parents.
        self._directory.parent.mkdir(parents=True, exist_ok=True)
        box = mailbox.Maildir(self._directory, create=True)
        if key is None:
            box.add(raw)
            return
        name = f"{key}.devforge"
        if self._delivered(name):
            return
        draft = self._directory / "tmp" / f"{name}.{uuid.uuid4().hex}"
        with draft.open("xb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, self._directory / "new" / name)  # refuses to replace: one copy wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()

    def _delivered(self, name: str) -> bool:
        cur = self._directory / "cur"
        return (self._directory / "new" / name).exists() or (cur / name).exists() or any(cur.glob(f"{name}:*"))
