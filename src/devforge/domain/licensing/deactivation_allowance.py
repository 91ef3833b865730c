"""The self-service deactivation allowance: at most N deactivations in any rolling 30 days.

It exists so a customer who reinstalled can free their old seat themselves (the top complaint
about machine limits), without letting one license float between unlimited machines by
deactivating and activating in a loop. Admin deactivations and resets are never counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)


def within_window(history: Sequence[datetime], now: datetime) -> list[datetime]:
    """The deactivations that still count at ``now`` (those of the last 30 days), oldest first."""
    return sorted(at for at in history if now - at < WINDOW)


def wait_before_next(history: Sequence[datetime], allowance: int | None, now: datetime) -> timedelta | None:
    """None when one more self-service deactivation is allowed now; else how long until it is."""
    if allowance is None:
        return None
    recent = within_window(history, now)
    if len(recent) < allowance:
        return None
    if allowance == 0:
        return WINDOW
    # The (len - allowance + 1)-th oldest must leave the window before a slot frees up.
    return recent[len(recent) - allowance] + WINDOW - now
