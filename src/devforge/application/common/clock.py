from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The one source of "now" (timezone-aware, UTC), so time-based rules are testable."""

    def now(self) -> datetime: ...
