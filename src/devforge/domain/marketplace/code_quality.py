"""Code quality: the package's own coverage and lint reports, held to the marketplace's bar.

Coverage. The manifest may name a report (``"devforge": {"coverage": "<path>"}``, relative to its
folder, never leaving the package); otherwise ``coverage/coverage-summary.json`` (Istanbul's
json-summary: ``total.lines.pct``) or ``coverage.xml`` (Cobertura: the root's ``line-rate``) next
to the manifest is read. A ``.xml`` report is read as Cobertura, anything else as Istanbul.
- Line coverage below the minimum (60% by default) is a blocking finding: it rejects the version
  while the check is enforced.
- A report that is named but missing or outside the package, or that is there but cannot be read,
  is blocking too: a figure nobody can read is not a measurement.
- A report that meets the minimum in a package holding no test file (``test/``, ``__tests__/``,
  ``*.test.js``...) goes to a reviewer (MEDIUM): a claim nothing in the package backs. The figure
  is always shown as *claimed*; what the server measures itself is ``code_scan``'s.
- No report at all is a *warning* ("no coverage report"): the check passes without claiming a
  figure, and the reason is shown to the publisher and the reviewer. ``coverage_report_required``
  makes it blocking instead.

Lint. ``"devforge": {"lint": "<path>"}`` or ``lint-report.json`` next to the manifest, in ESLint's
JSON formatter output. Errors (severity 2) and warnings (severity 1) are counted against budgets
(0 errors and 50 warnings by default). Over budget, or a named report that is missing or
unreadable, is a warning with the totals and the most frequent rules: reported, never rejecting,
unless ``lint_blocking``. No lint report says nothing.

The reports are read by ``quality_reports`` (safely: no XML entity is ever expanded).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from devforge.domain.marketplace.manifest import MANIFEST_PATHS, resolve
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.quality_reports import ReportUnreadable, line_coverage, lint_counts
from devforge.domain.marketplace.review import CheckResult, Finding, Severity

COVERAGE_REPORTS = ("coverage/coverage-summary.json", "coverage.xml")
TEST_FILE = re.compile(r"(?i)(?:^|/)(?:tests?|__tests__|spec)/|[._-](?:test|spec)\.[cm]?[jt]sx?$")
LINT_REPORT = "lint-report.json"
TOP_RULES = 3


@dataclass(frozen=True)
class CodeQualityCheck:
    name: ClassVar[str] = "code_quality"
    min_coverage_percent: float = 60.0
    lint_error_budget: int = 0
    lint_warning_budget: int = 50
    coverage_report_required: bool = False
    lint_blocking: bool = False

    def run(self, package: ExtensionPackage) -> CheckResult:
        root, declared = declarations(package.files)
        coverage, measured = self._coverage(package, root, declared.get("coverage"))
        lint, counted = self._lint(package, root, declared.get("lint"))
        summary = " ".join(part for part in (measured, counted) if part) or "Nothing was measured."
        return CheckResult.from_findings(self.name, [*coverage, *lint], summary)

    def _coverage(self, package: ExtensionPackage, root: str, declared: object) -> tuple[list[Finding], str]:
        path, problem = _locate(package, root, "coverage", declared, COVERAGE_REPORTS)
        if problem is not None:
            return [problem], ""
        if path is None:
            severity = Severity.HIGH if self.coverage_report_required else Severity.LOW
            message = (
                "No coverage report: ship coverage/coverage-summary.json or coverage.xml,"
                " or name one in the manifest ('devforge.coverage')."
            )
            return [Finding("coverage_report_absent", message, severity=severity)], ""
        try:
            percent = line_coverage(path, package.files[path])
        except ReportUnreadable as error:
            message = f"The coverage report {path} cannot be read: {error}."
            return [Finding("coverage_report_unreadable", message, path)], ""
        shown, minimum = _percent(percent), f"{self.min_coverage_percent:g}%"
        if percent < self.min_coverage_percent:
            message = f"Line coverage is {shown} in {path}; at least {minimum} is required (a claimed figure)."
            return [Finding("coverage_below_minimum", message, path)], ""
        claimed = f"Line coverage is {shown} (claimed: the publisher's report, not measured) in {path}"
        if not any(TEST_FILE.search(name) for name in package.files):
            message = f"{path}, line 1: claims {shown} line coverage, but the package holds no test files."
            return [Finding("coverage_without_tests", message, path, 1, Severity.MEDIUM)], f"{claimed}."
        return [], f"{claimed} (at least {minimum} required)."

    def _lint(self, package: ExtensionPackage, root: str, declared: object) -> tuple[list[Finding], str]:
        severity = Severity.HIGH if self.lint_blocking else Severity.LOW
        path, problem = _locate(package, root, "lint", declared, (LINT_REPORT,))
        if problem is not None:
            return [Finding(problem.rule, problem.message, problem.path, severity=severity)], ""
        if path is None:
            return [], ""
        try:
            errors, warnings, rules = lint_counts(package.files[path])
        except ReportUnreadable as error:
            message = f"The lint report {path} cannot be read: {error}."
            return [Finding("lint_report_unreadable", message, path, severity=severity)], ""
        totals = f"{errors} lint error(s) and {warnings} warning(s) in {path}"
        if errors <= self.lint_error_budget and warnings <= self.lint_warning_budget:
            return [], f"{totals}, within the budget."
        top = sorted(rules.items(), key=lambda item: (-item[1], item[0]))[:TOP_RULES]
        message = (
            f"{totals}, over the budget of {self.lint_error_budget} error(s) and {self.lint_warning_budget}"
            f" warning(s); most frequent rules: {', '.join(f'{rule} ({count})' for rule, count in top)}."
        )
        return [Finding("lint_over_budget", message, path, severity=severity)], ""


def declarations(files: Mapping[str, bytes]) -> tuple[str, dict[str, Any]]:
    """The manifest's folder and its ``devforge`` section, read whether or not the manifest is
    otherwise valid (the manifest check reports that)."""
    path = next((candidate for candidate in MANIFEST_PATHS if candidate in files), None)
    if path is None:
        return ("extension/" if any(name.startswith("extension/") for name in files) else ""), {}
    try:
        raw = json.loads(files[path])
    except (ValueError, RecursionError):
        raw = None
    section = raw.get("devforge") if isinstance(raw, dict) else None
    return path.removesuffix("package.json"), section if isinstance(section, dict) else {}


def _locate(
    package: ExtensionPackage, root: str, key: str, declared: object, defaults: tuple[str, ...]
) -> tuple[str | None, Finding | None]:
    """The report's archive path (``None``: no report), or the finding for a bad declaration."""
    if declared is None:
        return package.find(*(root + default for default in defaults)), None
    path = resolve(root, declared) if isinstance(declared, str) else None
    if path is None:
        message = f"The manifest's 'devforge.{key}' must be a path inside the package; {declared!r} is not."
        return None, Finding(f"{key}_report_outside", message)
    found = package.find(path)
    if found is None:
        message = f"The {key} report '{declared}' named in the manifest is not in the package."
        return None, Finding(f"{key}_report_missing", message, path)
    return found, None


def _percent(value: float) -> str:
    """Rounded down to a tenth, so a figure just under the minimum never reads as meeting it."""
    return f"{math.floor(round(value, 4) * 10) / 10:g}%"
