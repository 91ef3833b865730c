"""The review model: what a check reports, how each check is switched, and the verdict rule.

A check reports an outcome: PASSED, FAILED (it found a problem), ERRORED (it crashed) or
SKIPPED (it did not run). Each check has three switches: *enabled* (it runs at all), *enforced*
(its failure blocks publication rather than only being reported) and *required* (a crash of the
check itself, or its absence, blocks publication). The verdict fails closed: "no scanner ran" is
never read as "passed".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

MAX_LISTED_FINDINGS = 5
ADMINS_NOTIFIED = " The administrators have been notified and will re-run the review; you do not need to act."


class CheckOutcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERRORED = "errored"
    SKIPPED = "skipped"


class Severity(StrEnum):
    """What a finding weighs. HIGH blocks: its check fails. MEDIUM sends the version to a human: the
    check passes, but no version with such a finding is approved without a reviewer. LOW is only
    reported. Rows written before MEDIUM existed say "blocking" (HIGH) or "warning" (LOW)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @classmethod
    def _missing_(cls, value: object) -> Severity | None:
        return {"blocking": cls.HIGH, "warning": cls.LOW}.get(str(value))

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True)
class Finding:
    """One problem a check found; ``message`` is written for the publisher and never holds a secret.
    ``path`` and ``line`` (1-based) cite where, when the problem is in a file."""

    rule: str
    message: str
    path: str | None = None
    line: int | None = None
    severity: Severity = Severity.HIGH


@dataclass(frozen=True)
class CheckResult:
    """``publisher_message`` is shown to the publisher; ``admin_detail`` only to administrators."""

    check: str
    outcome: CheckOutcome
    publisher_message: str
    admin_detail: str = ""
    findings: tuple[Finding, ...] = ()

    @classmethod
    def from_findings(cls, check: str, findings: Iterable[Finding], passed_message: str) -> CheckResult:
        """FAILED when any finding is HIGH, PASSED otherwise; the message lists the first findings
        (those for a reviewer, MEDIUM, before the warnings)."""
        found = tuple(findings)
        blocking = [finding for finding in found if finding.severity is Severity.HIGH]
        if not blocking:
            message = passed_message
            for label, severity in (("For a reviewer", Severity.MEDIUM), ("Warnings", Severity.LOW)):
                said = [finding.message for finding in found if finding.severity is severity]
                if said:
                    message += f" {label}: " + " ".join(said[:MAX_LISTED_FINDINGS])
            return cls(check, CheckOutcome.PASSED, message, findings=found)
        listed = " ".join(finding.message for finding in blocking[:MAX_LISTED_FINDINGS])
        more = len(blocking) - MAX_LISTED_FINDINGS
        suffix = f" ...and {more} more problem(s)." if more > 0 else ""
        return cls(check, CheckOutcome.FAILED, listed + suffix, findings=found)

    @property
    def for_a_human(self) -> tuple[Finding, ...]:
        """Findings of MEDIUM or higher: a version with any is never approved without a reviewer."""
        return tuple(finding for finding in self.findings if finding.severity.at_least(Severity.MEDIUM))

    @classmethod
    def errored(cls, check: str, admin_detail: str) -> CheckResult:
        """Says nothing about who knows: ``reported`` adds that, where a report is actually posted."""
        message = f"The {check} check could not complete (a fault on our side, not in your package)."
        return cls(check, CheckOutcome.ERRORED, message, admin_detail=admin_detail)

    def reported(self) -> CheckResult:
        """The crash as told once the administrators' notice is posted in the same transaction."""
        if self.outcome is not CheckOutcome.ERRORED or self.publisher_message.endswith(ADMINS_NOTIFIED):
            return self
        return replace(self, publisher_message=self.publisher_message + ADMINS_NOTIFIED)

    @classmethod
    def skipped(cls, check: str, reason: str) -> CheckResult:
        return cls(check, CheckOutcome.SKIPPED, f"The {check} check did not run: {reason}")


@dataclass(frozen=True)
class CheckSettings:
    """The safest switches are the default: a check nobody configured runs, blocks and is required."""

    enabled: bool = True
    enforced: bool = True
    required: bool = True


class Decision(StrEnum):
    APPROVED = "approved"  # every enforced check passed and every required check ran
    REJECTED = "rejected"  # an enforced check failed: the publisher has something to fix
    NEEDS_ATTENTION = "needs_attention"  # a required check crashed or did not run: not the publisher's fault


@dataclass(frozen=True)
class VerdictReason:
    check: str
    blocking: bool
    message: str


@dataclass(frozen=True)
class ReviewVerdict:
    decision: Decision
    reasons: tuple[VerdictReason, ...]

    @property
    def blocking_reasons(self) -> tuple[VerdictReason, ...]:
        return tuple(reason for reason in self.reasons if reason.blocking)


STRICTEST = CheckSettings()


def verdict(results: Iterable[CheckResult], settings: Mapping[str, CheckSettings]) -> ReviewVerdict:
    """The fail-closed rule.

    - An enforced check that FAILED rejects the version; a failure of a check that is not enforced
      is only reported.
    - A required check that ERRORED, was SKIPPED, or left no result at all blocks the version
      (NEEDS_ATTENTION); for a check that is not required this is only reported.
    - A result from a check the settings do not name is judged with the strictest settings.
    - Disabled checks do not count, whatever they report.
    - Approval needs at least one enabled check that actually ran (PASSED or FAILED): an empty
      review is never a pass.
    - When both apply, REJECTED wins over NEEDS_ATTENTION: the publisher has to fix something anyway.
      A check SKIPPED in a rejected version (it could not read an unsafe archive) is then only
      reported: the rejection is the reason, not the checks it kept from running.
    """
    by_check: dict[str, list[CheckResult]] = {}
    for result in results:
        by_check.setdefault(result.check, []).append(result)
    reasons: list[VerdictReason] = []
    rejected = attention = ran = False
    for name in sorted(set(settings) | set(by_check)):
        switches = settings.get(name, STRICTEST)
        if not switches.enabled:
            continue
        own = by_check.get(name, [])
        if not own:
            message = f"The {name} check did not run."
            reasons.append(VerdictReason(name, switches.required, message))
            attention = attention or switches.required
        for result in own:
            outcome = result.outcome
            if outcome in (CheckOutcome.PASSED, CheckOutcome.FAILED):
                ran = True
            if outcome is CheckOutcome.FAILED:
                rejected = rejected or switches.enforced
                reasons.append(VerdictReason(name, switches.enforced, result.publisher_message))
            elif outcome in (CheckOutcome.ERRORED, CheckOutcome.SKIPPED):
                attention = attention or switches.required
                reasons.append(VerdictReason(name, switches.required, result.publisher_message))
            elif result.findings:
                reasons.append(VerdictReason(name, False, result.publisher_message))
    if rejected:
        skipped = {(r.check, r.publisher_message) for r in by_check_flat(by_check) if r.outcome is CheckOutcome.SKIPPED}
        kept = (
            VerdictReason(reason.check, False, reason.message) if (reason.check, reason.message) in skipped else reason
            for reason in reasons
        )
        return ReviewVerdict(Decision.REJECTED, tuple(kept))
    if attention:
        return ReviewVerdict(Decision.NEEDS_ATTENTION, tuple(reasons))
    if not ran:
        reasons.append(VerdictReason("review", True, "No check ran, so the version cannot be approved."))
        return ReviewVerdict(Decision.NEEDS_ATTENTION, tuple(reasons))
    return ReviewVerdict(Decision.APPROVED, tuple(reasons))


def by_check_flat(by_check: Mapping[str, list[CheckResult]]) -> Iterable[CheckResult]:
    return (result for own in by_check.values() for result in own)
