"""An event as the analytics store keeps it: one thing that happened to one install or user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class Source(StrEnum):
    CLIENT = "client"
    """Sent by an editor through ``POST /api/analytics/events``."""
    SERVER = "server"
    """A fact another context published (a sign-up, a purchase, a download)."""


@dataclass(slots=True)
class AnalyticsEvent:
    """``uuid`` identifies the event: the same uuid is the same event, stored once.
    ``timestamp`` is when it happened by the server's clock (see ``corrected_timestamp``), in UTC.
    ``properties`` is the JSON object the client sent, as text (never parsed into rows: the
    engine reads it). ``visitor`` is the day's salted hash of the client's address, never the
    address; ``country`` at most besides it.

    Not frozen, for speed alone (tens of thousands are made a second; a frozen dataclass sets
    each field through ``object.__setattr__``): treat it as a value, never change one."""

    uuid: UUID
    event: str
    distinct_id: str
    timestamp: datetime
    received_at: datetime
    properties: str = "{}"
    source: Source = Source.CLIENT
    editor_version: str = ""
    os: str = ""
    locale: str = ""
    visitor: str = ""
    country: str = ""
    user_id: UUID | None = None
