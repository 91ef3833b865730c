"""What the shared platform publishes: a mail queued in the mail outbox, for ``mail.send``.
Frozen once published, like every context's schemas. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.integration_events import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class MailQueuedV1(IntegrationEvent):
    NAME = "mail.queued"
    VERSION = 1
    mail_id: UUID
