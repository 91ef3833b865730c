"""Code quality: the coverage a package reports is held to the minimum; a report it names but that
is missing, outside the package or unreadable fails; no report at all is only a warning; and lint
over budget is reported with its top rules, never blocking by default."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devforge.domain.marketplace.code_quality import CodeQualityCheck
from devforge.domain.marketplace.quality_reports import ReportUnreadable, cobertura_root
from devforge.domain.marketplace.review import CheckOutcome, CheckResult, CheckSettings, Decision, Severity, verdict

from .zips import clean_files, manifest, package_of

ISTANBUL = "extension/coverage/coverage-summary.json"
COBERTURA = "extension/coverage.xml"
LINT = "extension/lint-report.json"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE coverage [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<coverage line-rate="0.9">&lol9;</coverage>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE coverage [<!ENTITY rate SYSTEM "file:///etc/passwd">]>
<coverage line-rate="&rate;"/>
"""


def istanbul(pct: object) -> bytes:
    lines = {"total": 80, "covered": 70, "skipped": 0, "pct": pct}
    return json.dumps({"total": {"lines": lines, "statements": lines}}).encode()


def cobertura(rate: object) -> bytes:
    return f'<?xml version="1.0" ?>\n<coverage line-rate="{rate}" branch-rate="0.5"><packages/></coverage>'.encode()


def eslint(*rules: tuple[str | None, int]) -> bytes:
    """One file whose messages raise the given (rule, severity) pairs."""
    messages = [{"ruleId": rule, "severity": severity, "message": "m", "line": 1} for rule, severity in rules]
    errors = sum(severity == 2 for _, severity in rules)
    return json.dumps(
        [{"filePath": "/src/a.js", "messages": messages, "errorCount": errors, "warningCount": len(rules) - errors}]
    ).encode()


def declaring(**devforge: Any) -> bytes:
    return json.dumps(manifest(devforge=devforge)).encode()


A_TEST = "extension/test/extension.test.js"


def check(replace: Mapping[str, bytes | None], quality: CodeQualityCheck | None = None) -> CheckResult:
    """The package holds a test file unless ``replace`` removes it (``A_TEST: None``)."""
    files = {A_TEST: b"test('colours', () => {});\n", **replace}
    return (quality or CodeQualityCheck()).run(package_of(clean_files(files)))


def failed_with(result: CheckResult, *words: str) -> bool:
    return result.outcome is CheckOutcome.FAILED and all(word in result.publisher_message for word in words)


@pytest.mark.parametrize(
    ("files", "shown"),
    [
        ({ISTANBUL: istanbul(87.5)}, "87.5%"),
        ({COBERTURA: cobertura(0.875)}, "87.5%"),
        ({ISTANBUL: istanbul(60)}, "60%"),
        (
            {
                "extension/package.json": declaring(coverage="reports/cov.xml"),
                "extension/reports/cov.xml": cobertura(1),
            },
            "100%",
        ),
    ],
)
def test_coverage_at_or_over_the_minimum_passes_and_says_what_was_measured(files: dict[str, bytes], shown: str) -> None:
    result = check(files)
    assert result.outcome is CheckOutcome.PASSED and result.findings == ()
    assert f"Line coverage is {shown} (claimed: the publisher's report, not measured)" in result.publisher_message


def test_a_coverage_claim_with_no_test_in_the_package_goes_to_a_reviewer() -> None:
    result = check({ISTANBUL: istanbul(100), A_TEST: None})
    assert result.outcome is CheckOutcome.PASSED
    (finding,) = result.for_a_human
    assert finding.rule == "coverage_without_tests" and finding.path == ISTANBUL and finding.line == 1
    assert "For a reviewer:" in result.publisher_message and "holds no test files" in result.publisher_message


@pytest.mark.parametrize(
    ("files", "minimum", "words"),
    [
        ({ISTANBUL: istanbul(42.5)}, 60, ("Line coverage is 42.5% in", ISTANBUL, "at least 60% is required")),
        ({COBERTURA: cobertura(0.5999)}, 60, ("59.9%", COBERTURA, "at least 60%")),  # never rounded up to it
        ({COBERTURA: cobertura(0.1), ISTANBUL: istanbul(99)}, 99.5, ("99%", ISTANBUL, "at least 99.5%")),
    ],
)
def test_coverage_under_the_minimum_fails_naming_both_figures_and_the_report(
    files: dict[str, bytes], minimum: float, words: tuple[str, ...]
) -> None:
    result = check(files, CodeQualityCheck(min_coverage_percent=minimum))
    assert failed_with(result, *words)
    assert [finding.rule for finding in result.findings] == ["coverage_below_minimum"]


def test_a_report_named_in_the_manifest_wins_over_the_usual_places() -> None:
    files = {
        "extension/package.json": declaring(coverage="./reports/summary.json"),
        "extension/reports/summary.json": istanbul(20),
        ISTANBUL: istanbul(95),
    }
    assert failed_with(check(files), "20%", "extension/reports/summary.json")


def test_a_report_at_the_root_of_a_package_without_an_extension_folder_is_found() -> None:
    files = {path.removeprefix("extension/"): data for path, data in clean_files().items()}
    result = CodeQualityCheck().run(package_of({**files, "coverage.xml": cobertura(0.3)}))
    assert failed_with(result, "30%", "coverage.xml")


@given(st.floats(0, 100), st.floats(0, 100))
@settings(max_examples=40, deadline=None)
def test_the_check_fails_exactly_when_coverage_is_under_the_minimum(pct: float, minimum: float) -> None:
    result = check({ISTANBUL: istanbul(pct)}, CodeQualityCheck(min_coverage_percent=minimum))
    assert (result.outcome is CheckOutcome.FAILED) == (pct < minimum)


@pytest.mark.parametrize(
    ("declared", "words"),
    [
        ("reports/missing.json", "'reports/missing.json' named in the manifest is not in the package"),
        ("../../coverage.json", "must be a path inside the package"),
        ("/etc/passwd", "must be a path inside the package"),
        (42, "must be a path inside the package"),
    ],
)
def test_a_named_coverage_report_that_is_missing_or_outside_the_package_fails(declared: object, words: str) -> None:
    result = check({"extension/package.json": declaring(coverage=declared), ISTANBUL: istanbul(99)})
    assert failed_with(result, words)


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({ISTANBUL: b"{not json"}, "not valid JSON"),
        ({ISTANBUL: istanbul("Unknown")}, "no numeric total.lines.pct"),
        ({ISTANBUL: b'{"total": {"lines": {"pct": NaN}}}'}, "NaN"),
        ({ISTANBUL: istanbul(150)}, "not between 0 and 100"),
        ({ISTANBUL: b'{"total": 5}'}, "no numeric total.lines.pct"),
        ({ISTANBUL: b"[" * 100_000 + b"]" * 100_000}, "not valid JSON"),
        ({COBERTURA: b"<report line-rate='0.9'/>"}, "root element is not <coverage>"),
        ({COBERTURA: cobertura(2)}, "not between 0 and 1"),
        ({COBERTURA: cobertura("inf")}, "no numeric line-rate"),
        ({COBERTURA: b"<coverage line-rate='0.9'"}, "not well-formed XML"),
    ],
)
def test_a_report_that_cannot_be_read_fails_naming_the_file(files: dict[str, bytes], words: str) -> None:
    result = check(files)
    (path,) = files
    assert failed_with(result, f"The coverage report {path} cannot be read", words)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity expansion", "external entity"])
def test_xml_with_a_doctype_is_refused_before_any_entity_is_declared(xml: bytes) -> None:
    with pytest.raises(ReportUnreadable, match="DOCTYPE"):
        cobertura_root(xml)
    result = check({COBERTURA: xml})
    assert failed_with(result, COBERTURA, "declares a DOCTYPE")
    assert "lol" not in result.publisher_message and "root:" not in result.publisher_message


def test_an_undeclared_entity_is_not_resolved() -> None:
    with pytest.raises(ReportUnreadable, match="not well-formed"):
        cobertura_root(b'<coverage line-rate="&rate;"/>')


def test_no_coverage_report_is_a_warning_that_still_lets_the_version_through() -> None:
    result = check({})
    assert result.outcome is CheckOutcome.PASSED and "No coverage report" in result.publisher_message
    (finding,) = result.findings
    assert finding.rule == "coverage_report_absent" and finding.severity is Severity.LOW
    decided = verdict([result], {"code_quality": CheckSettings()})
    assert decided.decision is Decision.APPROVED and decided.reasons[0].blocking is False


def test_no_coverage_report_fails_when_a_report_is_required() -> None:
    assert failed_with(check({}, CodeQualityCheck(coverage_report_required=True)), "No coverage report")


def test_lint_within_budget_passes_and_gives_the_totals() -> None:
    result = check({ISTANBUL: istanbul(90), LINT: eslint(*[("no-console", 1)] * 50)})
    assert result.outcome is CheckOutcome.PASSED and result.findings == ()
    assert f"0 lint error(s) and 50 warning(s) in {LINT}, within the budget" in result.publisher_message


def test_lint_over_budget_is_reported_with_the_totals_and_top_rules_but_does_not_block() -> None:
    rules = [("no-unused-vars", 1)] * 30 + [("eqeqeq", 2)] * 2 + [("no-console", 1)] * 25 + [("semi", 1)] * 3
    result = check({ISTANBUL: istanbul(90), LINT: eslint(*rules, (None, 2))})
    assert result.outcome is CheckOutcome.PASSED
    (finding,) = result.findings
    assert finding.rule == "lint_over_budget" and finding.severity is Severity.LOW
    assert "3 lint error(s) and 58 warning(s)" in finding.message
    assert "over the budget of 0 error(s) and 50 warning(s)" in finding.message
    assert "most frequent rules: no-unused-vars (30), no-console (25), semi (3)." in finding.message
    assert verdict([result], {"code_quality": CheckSettings()}).decision is Decision.APPROVED


def test_lint_over_budget_blocks_only_when_asked_to() -> None:
    files = {ISTANBUL: istanbul(90), LINT: eslint(("eqeqeq", 2))}
    assert failed_with(check(files, CodeQualityCheck(lint_blocking=True)), "1 lint error(s)", "eqeqeq (1)")
    assert check(files, CodeQualityCheck(lint_error_budget=1)).findings == ()


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"extension/package.json": declaring(lint="out/eslint.json")}, "'out/eslint.json' named in the manifest"),
        ({LINT: b'{"errorCount": 3}'}, "is not ESLint's JSON output"),
    ],
)
def test_a_lint_report_that_is_missing_or_unreadable_is_reported(files: dict[str, bytes], words: str) -> None:
    result = check({ISTANBUL: istanbul(90), **files})
    assert result.outcome is CheckOutcome.PASSED and words in result.publisher_message
    assert [finding.severity for finding in result.findings] == [Severity.LOW]


def test_the_check_reads_reports_even_when_the_manifest_is_otherwise_invalid() -> None:
    files = clean_files({"extension/package.json": json.dumps({"devforge": {"coverage": "c.json"}}).encode()})
    result = CodeQualityCheck().run(package_of({**files, "extension/c.json": istanbul(10)}))
    assert failed_with(result, "10%", "extension/c.json")
    assert CodeQualityCheck().run(package_of({"extension/x.js": b"1"})).outcome is CheckOutcome.PASSED
