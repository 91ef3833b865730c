from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """A session lives at most ``lifetime`` from sign-in, however often it is refreshed."""

    lifetime: timedelta = timedelta(days=30)
