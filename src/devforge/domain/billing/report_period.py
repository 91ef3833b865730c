"""The period of a financial report: ``[start, end)`` in UTC, cut into days, ISO weeks or months.

A moment names its offset (``2026-05-01T00:00:00Z``): a report of "May" in someone's local time
is not the books' May. The period ends after it starts and spans at most a year (366 days); a
daily report spans at most 92 days (a quarter), so a report stays a page, not a dump. Each bad
part is refused naming its field (``from``, ``to``, ``interval``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from devforge.domain.shared.errors import RuleViolated

MAX_SPAN = timedelta(days=366)
MAX_DAILY_SPAN = timedelta(days=92)


class ReportPeriodInvalid(RuleViolated):
    code = "report_period_invalid"


class ReportInterval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    start: datetime
    end: datetime
    interval: ReportInterval

    @classmethod
    def of(cls, start: datetime, end: datetime, interval: str) -> ReportPeriod:
        for moment, name in ((start, "from"), (end, "to")):
            if moment.utcoffset() is None:
                raise ReportPeriodInvalid("A moment names its offset (2026-05-01T00:00:00Z).", field=name)
        try:
            cut = ReportInterval(interval)
        except ValueError:
            raise ReportPeriodInvalid("The interval is day, week or month.", field="interval") from None
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            raise ReportPeriodInvalid("The period ends after it starts.", field="to")
        if end - start > MAX_SPAN:
            raise ReportPeriodInvalid("A report spans at most 366 days.", field="to")
        if cut is ReportInterval.DAY and end - start > MAX_DAILY_SPAN:
            raise ReportPeriodInvalid("A daily report spans at most 92 days; ask by week or month.", field="interval")
        return cls(start, end, cut)

    def bucket(self, day: date) -> date:
        """The first day of the interval ``day`` falls in (a week starts on Monday)."""
        if self.interval is ReportInterval.DAY:
            return day
        if self.interval is ReportInterval.WEEK:
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)
