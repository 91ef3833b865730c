"""The verdict fails closed: nothing is approved unless every enforced check passed and every
required check actually ran to completion."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.marketplace.review import (
    CheckOutcome,
    CheckResult,
    CheckSettings,
    Decision,
    Finding,
    Severity,
    verdict,
)

NAMES = ("archive_safety", "manifest", "secrets", "suspicious_code")
settings_maps = st.dictionaries(
    st.sampled_from(NAMES), st.builds(CheckSettings, st.booleans(), st.booleans(), st.booleans())
)
results_lists = st.lists(
    st.builds(
        lambda name, outcome: CheckResult(name, outcome, f"{name} {outcome}"),
        st.sampled_from(NAMES),
        st.sampled_from(CheckOutcome),
    ),
    max_size=8,
)


def passed(name: str) -> CheckResult:
    return CheckResult(name, CheckOutcome.PASSED, "ok")


@given(settings_maps, results_lists)
def test_approval_means_every_enforced_check_passed_and_every_required_check_ran(
    settings: dict[str, CheckSettings], results: list[CheckResult]
) -> None:
    if verdict(results, settings).decision is not Decision.APPROVED:
        return
    for name in set(settings) | {result.check for result in results}:
        switches = settings.get(name, CheckSettings())
        own = [result.outcome for result in results if result.check == name]
        if not switches.enabled:
            continue
        if switches.enforced:
            assert CheckOutcome.FAILED not in own
        if switches.required:
            assert own and CheckOutcome.ERRORED not in own and CheckOutcome.SKIPPED not in own
    assert any(
        result.outcome in (CheckOutcome.PASSED, CheckOutcome.FAILED)
        and settings.get(result.check, CheckSettings()).enabled
        for result in results
    )


@given(settings_maps, results_lists, st.data())
def test_making_any_result_worse_never_turns_a_refusal_into_an_approval(
    settings: dict[str, CheckSettings], results: list[CheckResult], data: st.DataObject
) -> None:
    if not results or verdict(results, settings).decision is Decision.APPROVED:
        return
    index = data.draw(st.integers(0, len(results) - 1))
    worse = data.draw(st.sampled_from([CheckOutcome.FAILED, CheckOutcome.ERRORED, CheckOutcome.SKIPPED, None]))
    changed = [*results[:index], *results[index + 1 :]]
    if worse is not None:
        changed.append(CheckResult(results[index].check, worse, "worse"))
    if results[index].outcome is CheckOutcome.PASSED:
        assert verdict(changed, settings).decision is not Decision.APPROVED


@given(st.sets(st.sampled_from(NAMES), min_size=1), st.data())
def test_a_review_where_every_enabled_check_passed_is_approved(names: set[str], data: st.DataObject) -> None:
    settings = {
        name: data.draw(st.builds(CheckSettings, st.just(True), st.booleans(), st.booleans())) for name in names
    }
    assert verdict([passed(name) for name in names], settings).decision is Decision.APPROVED


@given(
    st.sets(st.sampled_from(NAMES), min_size=1),
    st.sampled_from(NAMES),
    st.sampled_from([None, CheckOutcome.SKIPPED, CheckOutcome.ERRORED]),
)
def test_a_required_check_that_crashed_was_skipped_or_never_ran_blocks(
    names: set[str], missing: str, outcome: CheckOutcome | None
) -> None:
    settings = {name: CheckSettings() for name in names | {missing}}
    results = [passed(name) for name in names if name != missing]
    if outcome is not None:
        results.append(CheckResult(missing, outcome, "did not complete"))
    decided = verdict(results, settings)
    assert decided.decision is Decision.NEEDS_ATTENTION
    assert any(reason.check == missing and reason.blocking for reason in decided.blocking_reasons)


@given(settings_maps, results_lists, st.sampled_from(NAMES))
def test_an_enforced_failure_always_rejects(
    settings: dict[str, CheckSettings], results: list[CheckResult], name: str
) -> None:
    settings = {**settings, name: CheckSettings(enabled=True, enforced=True, required=False)}
    failing = [*results, CheckResult(name, CheckOutcome.FAILED, "secret found")]
    assert verdict(failing, settings).decision is Decision.REJECTED


@given(st.sampled_from([CheckOutcome.FAILED, CheckOutcome.ERRORED, CheckOutcome.SKIPPED, None]))
def test_a_check_neither_enforced_nor_required_only_reports(outcome: CheckOutcome | None) -> None:
    settings = {"manifest": CheckSettings(), "suspicious_code": CheckSettings(enforced=False, required=False)}
    results = [passed("manifest")]
    if outcome is not None:
        results.append(CheckResult("suspicious_code", outcome, "reported"))
    decided = verdict(results, settings)
    assert decided.decision is Decision.APPROVED
    assert all(not reason.blocking for reason in decided.reasons)
    assert [reason.check for reason in decided.reasons] == ["suspicious_code"]


@given(settings_maps, st.sampled_from(CheckOutcome))
def test_a_disabled_check_does_not_count_whatever_it_reports(
    settings: dict[str, CheckSettings], outcome: CheckOutcome
) -> None:
    settings = {**settings, "secrets": CheckSettings(enabled=False)}
    base = [passed(name) for name in NAMES if name != "secrets"]
    assert verdict([*base, CheckResult("secrets", outcome, "x")], settings) == verdict(base, settings)


def test_no_check_ran_is_never_a_pass() -> None:
    assert verdict([], {}).decision is Decision.NEEDS_ATTENTION
    optional = {"secrets": CheckSettings(required=False)}
    assert verdict([], optional).decision is Decision.NEEDS_ATTENTION
    skipped = CheckResult.skipped("secrets", "scanner unavailable")
    assert verdict([skipped], optional).decision is Decision.NEEDS_ATTENTION
    assert "No check ran" in verdict([skipped], optional).reasons[-1].message


def test_a_result_from_an_unconfigured_check_is_judged_strictly() -> None:
    surprise = CheckResult("malware", CheckOutcome.ERRORED, "clamd unreachable")
    assert verdict([passed("manifest"), surprise], {"manifest": CheckSettings()}).decision is Decision.NEEDS_ATTENTION


def test_findings_decide_the_outcome_and_warnings_do_not_fail() -> None:
    warning = Finding("process_spawn", "starts processes", severity=Severity.LOW)
    blocking = Finding("secret", "a GitHub token")
    assert CheckResult.from_findings("x", [warning], "Fine.").outcome is CheckOutcome.PASSED
    failed = CheckResult.from_findings("x", [warning, blocking], "Fine.")
    assert failed.outcome is CheckOutcome.FAILED and failed.publisher_message == "a GitHub token"
    many = CheckResult.from_findings("x", [Finding("r", f"problem {n}.") for n in range(8)], "Fine.")
    assert many.publisher_message.endswith("...and 3 more problem(s).")


def test_a_medium_finding_passes_its_check_but_is_for_a_human() -> None:
    medium = Finding("install_script", "x.js, line 3: runs a script at install time.", "x.js", 3, Severity.MEDIUM)
    low = Finding("network_host", "contacts example.org", severity=Severity.LOW)
    result = CheckResult.from_findings("suspicious_code", [low, medium], "Fine.")
    assert result.outcome is CheckOutcome.PASSED and result.for_a_human == (medium,)
    assert result.publisher_message == f"Fine. For a reviewer: {medium.message} Warnings: contacts example.org"
    assert verdict([result], {"suspicious_code": CheckSettings()}).decision is Decision.APPROVED


def test_severities_are_ordered_and_rows_written_before_medium_still_read() -> None:
    assert Severity("blocking") is Severity.HIGH and Severity("warning") is Severity.LOW
    assert Severity.HIGH.at_least(Severity.MEDIUM) and not Severity.LOW.at_least(Severity.MEDIUM)
