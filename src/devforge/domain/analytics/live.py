"""Live counters: what the platform is doing now, as the admins' live view shows it.

Definitions (served with the stream, ``GET /api/analytics/live``):
- events per minute: editor events accepted in the last 60 seconds (by the second they were
  taken), across every API process;
- events today: editor events accepted since 00:00 UTC;
- editors active now: distinct installs (``distinct_id``) that sent an accepted event in the
  last ``ACTIVE_MINUTES`` minutes (counted approximately in production: a HyperLogLog, about
  0.8 % off);
- downloads today: extension downloads since 00:00 UTC;
- revenue today: per currency, in minor units, paid orders and renewals less refunds since
  00:00 UTC, by the day each fact happened.
They count what was taken, before it is stored: a live view, not the ledger (the metric
catalogue's figures come from the store and billing's ledger)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

WINDOW_SECONDS = 60
ACTIVE_MINUTES = 5
_KEEP_SECONDS = WINDOW_SECONDS + 60 * ACTIVE_MINUTES
"""A tally held back (its counters away) keeps no more than what a read could still show."""


@dataclass(slots=True)
class LiveTally:
    """Counts not yet handed to the shared counters: per second, installs per minute, downloads
    and revenue per day. Adding two tallies adds their counts."""

    events: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    events_by_day: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    installs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    downloads: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    revenue: dict[tuple[date, str], int] = field(default_factory=lambda: defaultdict(int))

    def __bool__(self) -> bool:
        return bool(self.events or self.events_by_day or self.installs or self.downloads or self.revenue)

    def events_taken(self, distinct_ids: Iterable[str], count: int, at: datetime) -> None:
        second = int(at.timestamp())
        self.events[second] += count
        self.events_by_day[at.date()] += count
        self.installs[second // 60].update(distinct_ids)

    def download(self, at: datetime) -> None:
        self.downloads[at.date()] += 1

    def money(self, currency: str, amount: int, at: datetime) -> None:
        """A payment (positive) or a refund (negative), in minor units."""
        self.revenue[at.date(), currency.upper()] += amount

    def add(self, other: LiveTally, now: datetime) -> None:
        """``other``'s counts into this one, dropping what is too old to be shown any more."""
        oldest = int(now.timestamp()) - _KEEP_SECONDS
        for second, count in other.events.items():
            if second >= oldest:
                self.events[second] += count
        for minute, ids in other.installs.items():
            if minute * 60 >= oldest:
                self.installs[minute].update(ids)
        for day, count in other.events_by_day.items():
            if day >= now.date():
                self.events_by_day[day] += count
        for day, count in other.downloads.items():
            if day >= now.date():
                self.downloads[day] += count
        for (day, currency), amount in other.revenue.items():
            if day >= now.date():
                self.revenue[day, currency] += amount


@dataclass(frozen=True, slots=True)
class LiveFigures:
    at: datetime
    events_per_minute: int
    events_today: int
    editors_active: int
    downloads_today: int
    revenue_today: dict[str, int]
    """Currency (ISO 4217) to minor units; currencies without revenue today are absent."""


def window_seconds(now: datetime) -> range:
    """The seconds ``events per minute`` adds up: the last 60, ``now``'s included."""
    second = int(now.timestamp())
    return range(second - WINDOW_SECONDS + 1, second + 1)


def active_minutes(now: datetime) -> range:
    minute = int(now.timestamp()) // 60
    return range(minute - ACTIVE_MINUTES + 1, minute + 1)
