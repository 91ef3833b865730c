"""When a version is approved without a reviewer.

Only when it is safe: the version passed, no check found anything of medium severity or higher
(such a finding passes its check but is for a human to weigh), and its publisher is verified and
past its probation: at least ``approved_versions`` versions approved (by a reviewer, or
automatically once on probation no more) and the publisher at least ``age`` old. Everything else
waits in the reviewers' queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from devforge.domain.marketplace.review import Finding


@dataclass(frozen=True)
class Probation:
    approved_versions: int = 3
    age: timedelta = timedelta(days=30)

    def served(self, *, approved_versions: int, since: datetime, now: datetime) -> bool:
        return approved_versions >= self.approved_versions and now - since >= self.age


@dataclass(frozen=True)
class Standing:
    """What the gate knows of the publisher."""

    verified: bool
    approved_versions: int
    since: datetime  # when the publisher was registered


def waits_for_a_reviewer(
    flagged: tuple[Finding, ...], standing: Standing, probation: Probation, now: datetime, *, auto_approve: bool = True
) -> str | None:
    """Why a passed version waits in the reviewers' queue (told to the publisher); None: it is
    approved at once. ``flagged``: its findings of medium severity or higher (``ReviewRun.for_a_human``)."""
    if flagged:
        first = flagged[0]
        where = f" ({first.path}, line {first.line})" if first.path and first.line else ""
        more = f" and {len(flagged) - 1} more finding(s)" if len(flagged) > 1 else ""
        return f"A reviewer will look at it: {first.rule}{where}{more} of {first.severity.value} severity."
    if not auto_approve:
        return "A reviewer will look at it: every version is reviewed by a person."
    if not standing.verified:
        return "A reviewer will look at it: the publisher's domain is not verified."
    if not probation.served(approved_versions=standing.approved_versions, since=standing.since, now=now):
        return (
            f"A reviewer will look at it: new publishers' versions are reviewed by a person until "
            f"{probation.approved_versions} are approved and the publisher is {probation.age.days} days old."
        )
    return None
