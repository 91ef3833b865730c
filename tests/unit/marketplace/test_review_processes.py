"""The review's CPU work runs in child processes (not in the process whose event loop serves
requests); a child that dies fails its review cleanly (errored, the administrators told, never
hung) and the next review runs in a fresh child."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterable, AsyncIterator, Callable
from functools import partial
from pathlib import Path

import pytest

from devforge.adapters.memory.signature_scanner import InMemorySignatureScanner
from devforge.adapters.scanning.builtin_malware_scanner import BuiltinMalwareScanner
from devforge.adapters.scanning.pattern_code_analyser import PatternCodeAnalyser
from devforge.adapters.scanning.review_processes import ProcessPoolAnalysis, review_cpus, served_checks
from devforge.adapters.spdx.license_expressions import SpdxLicenseExpressions
from devforge.application.marketplace.malware_scanner import ScanResult
from devforge.application.marketplace.package_checks import (
    AnalysisCrashed,
    InThreadAnalysis,
    PackageChecks,
    UploadSlot,
)
from devforge.application.marketplace.review_pipeline import ReviewPipeline
from devforge.application.marketplace.review_policy import ReviewPolicy
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckOutcome, CheckResult, Decision

from .corpus import clean_package
from .hostile_packages import EICAR
from .zips import build_zip, clean_files

SLOT = UploadSlot("acme", "rainbow-brackets", "1.2.0")
DIES = "extension/dies-on-review.txt"


class KillsItsProcess:
    """A check whose process is killed (as by the kernel's out-of-memory killer) when the package
    carries ``DIES``; it passes any other package."""

    name = "killer"

    def run(self, package: ExtensionPackage) -> CheckResult:
        if DIES in package.files:
            os.kill(os.getpid(), signal.SIGKILL)
        return CheckResult.from_findings(self.name, [], "Alive.")


class NeverStreamed(BuiltinMalwareScanner):
    """The built-in scanner, refusing the package as a stream sent to this process: it must read
    the package itself, where the review's checks run."""

    async def scan(self, data: bytes | AsyncIterable[bytes]) -> ScanResult:
        raise AssertionError("the package was streamed to the scanner in the serving process")


class CrashesOnRead(BuiltinMalwareScanner):
    def scan_package(self, archive: bytes | Path) -> ScanResult:
        raise MemoryError("out of memory in the scanner")


def checks_that_can_die(policy: ReviewPolicy) -> PackageChecks:
    licenses, analyser, signatures = SpdxLicenseExpressions(), PatternCodeAnalyser(), InMemorySignatureScanner()
    return PackageChecks(policy, licenses, analyser, signatures, extra_checks=[KillsItsProcess()])


@pytest.fixture
async def dying() -> AsyncIterator[ProcessPoolAnalysis]:
    analysis = ProcessPoolAnalysis(partial(checks_that_can_die, ReviewPolicy()), workers=1)
    yield analysis
    await analysis.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_review_is_analysed_in_another_process_with_the_served_checks(tmp_path: Path) -> None:
    policy = ReviewPolicy()
    analysis = ProcessPoolAnalysis(partial(served_checks, policy), workers=1)
    archive = tmp_path / "package.zip"
    archive.write_bytes(clean_package())
    try:
        analysed = await analysis.analyse(archive, SLOT)
        run = await ReviewPipeline(policy, BuiltinMalwareScanner(), analysis).run(archive, SLOT)
    finally:
        await analysis.close()
    assert analysed.analysed_by not in (0, os.getpid())
    assert alive(analysed.analysed_by) is False  # closing the analysis ended its process
    assert run.verdict.decision is Decision.APPROVED, run.verdict
    assert {result.check for result in run.results} >= {"archive_safety", "manifest", "suspicious_code", "malware"}
    assert "yara-x" in next(result for result in run.results if result.check == "malware").publisher_message
    assert run.engine_range == "^1.80.0"


async def test_a_killed_review_process_errors_that_review_and_the_next_one_runs_in_a_new_process(
    dying: ProcessPoolAnalysis,
) -> None:
    pipeline = ReviewPipeline(ReviewPolicy(), BuiltinMalwareScanner(), dying)
    first = await dying.analyse(clean_package(), SLOT)
    killed = await pipeline.run(build_zip(clean_files({DIES: b"bye"})), SLOT)
    assert killed.verdict.decision is Decision.NEEDS_ATTENTION
    assert killed.crashed and "malware" in killed.crashed and "archive_safety" in killed.crashed
    assert all(result.outcome is CheckOutcome.ERRORED for result in killed.results)
    assert "analysis process died" in (killed.results[0].admin_detail or "")

    after = await dying.analyse(clean_package(), SLOT)
    run = await pipeline.run(clean_package(), SLOT)
    assert after.analysed_by not in (0, os.getpid(), first.analysed_by)
    assert run.verdict.decision is Decision.APPROVED
    assert next(result for result in run.results if result.check == "killer").outcome is CheckOutcome.PASSED


async def test_the_analysis_itself_says_a_dead_process_crashed(dying: ProcessPoolAnalysis) -> None:
    with pytest.raises(AnalysisCrashed, match="ended abruptly"):
        await dying.analyse(build_zip(clean_files({DIES: b"bye"})), SLOT)
    assert (await dying.analyse(clean_package(), SLOT)).validation


async def test_the_built_in_malware_scanner_reads_the_package_in_the_review_process(tmp_path: Path) -> None:
    """Unzipping and hashing 48 MiB is CPU work: it runs in the child with the checks, from the
    file itself, not streamed through the event loop to a thread of the serving process."""
    policy = ReviewPolicy()
    analysis = ProcessPoolAnalysis(partial(served_checks, policy), workers=1)
    infected, clean = tmp_path / "infected.zip", tmp_path / "clean.zip"
    infected.write_bytes(build_zip(clean_files({"extension/eicar.com": EICAR})))
    clean.write_bytes(clean_package())
    pipeline = ReviewPipeline(policy, NeverStreamed(), analysis)
    try:
        analysed = await analysis.analyse(infected, SLOT, NeverStreamed())
        found, passed = await pipeline.run(infected, SLOT), await pipeline.run(clean, SLOT)
    finally:
        await analysis.close()
    assert analysed.analysed_by != os.getpid()
    assert analysed.scanned == ScanResult.infected("builtin", "Eicar-Test-Signature in extension/eicar.com")
    malware = next(result for result in found.results if result.check == "malware")
    assert malware.outcome is CheckOutcome.FAILED
    assert "Eicar-Test-Signature" in malware.findings[0].message
    assert passed.verdict.decision is Decision.APPROVED, passed.verdict


async def test_a_scanner_crashing_where_the_checks_run_errors_the_malware_check() -> None:
    checks = served_checks(ReviewPolicy())
    run = await ReviewPipeline(ReviewPolicy(), CrashesOnRead(), InThreadAnalysis(checks)).run(clean_package(), SLOT)
    malware = next(result for result in run.results if result.check == "malware")
    assert malware.outcome is CheckOutcome.ERRORED
    assert "MemoryError" in (malware.admin_detail or "")
    assert run.verdict.decision is not Decision.APPROVED


class TellsItsScheduling:
    """A check that says, in its message, how the kernel schedules the process running it."""

    name = "scheduling"

    def run(self, package: ExtensionPackage) -> CheckResult:
        policy, cpus = os.sched_getscheduler(0), sorted(os.sched_getaffinity(0))
        return CheckResult.from_findings(self.name, [], f"policy={policy} cpus={cpus}")


def checks_that_tell_their_scheduling(policy: ReviewPolicy) -> PackageChecks:
    licenses, analyser, signatures = SpdxLicenseExpressions(), PatternCodeAnalyser(), InMemorySignatureScanner()
    return PackageChecks(policy, licenses, analyser, signatures, extra_checks=[TellsItsScheduling()])


async def test_a_review_process_is_background_work_on_the_cpus_it_was_given() -> None:
    """SCHED_IDLE: the kernel gives it a core only when no other task (a request) wants one."""
    last = max(os.sched_getaffinity(0))
    told = await scheduling_told(partial(checks_that_tell_their_scheduling, ReviewPolicy()), last)
    assert told == f"policy={os.SCHED_IDLE} cpus={[last]}"
    assert os.sched_getscheduler(0) != os.SCHED_IDLE  # this process (the API's) is not


async def scheduling_told(build: Callable[[], PackageChecks], cpu: int) -> str:
    """What the review process's ``scheduling`` check told, one review run on ``cpu``."""
    analysis = ProcessPoolAnalysis(build, 1, {cpu})
    try:
        analysed = await analysis.analyse(clean_package(), SLOT)
    finally:
        await analysis.close()
    return next(result for result in analysed.scanning if result.check == "scheduling").publisher_message


class SchedulingAtStart:
    """Sent to a review process with its initializer's arguments, so unpickled there before the
    initializer runs: it notes how the kernel scheduled the process at that moment."""

    def __init__(self, policy: int | None = None, cpus: tuple[int, ...] = ()) -> None:
        self.policy, self.cpus = policy, cpus

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return noted_at_start, ()


def noted_at_start() -> SchedulingAtStart:
    return SchedulingAtStart(os.sched_getscheduler(0), tuple(sorted(os.sched_getaffinity(0))))


class TellsItsSchedulingAtStart:
    name = "scheduling"

    def __init__(self, noted: SchedulingAtStart) -> None:
        self.noted = noted

    def run(self, package: ExtensionPackage) -> CheckResult:
        return CheckResult.from_findings(self.name, [], f"policy={self.noted.policy} cpus={list(self.noted.cpus)}")


def checks_that_tell_their_start(policy: ReviewPolicy, noted: SchedulingAtStart) -> PackageChecks:
    licenses, analyser, signatures = SpdxLicenseExpressions(), PatternCodeAnalyser(), InMemorySignatureScanner()
    return PackageChecks(policy, licenses, analyser, signatures, extra_checks=[TellsItsSchedulingAtStart(noted)])


async def test_a_review_process_starts_in_the_background_before_its_initializer_runs() -> None:
    """A child's start (a fresh interpreter importing the ``devforge`` script's modules, about a
    second of CPU) must not compete with the requests either: the parent lowers it at once."""
    last = max(os.sched_getaffinity(0))
    told = await scheduling_told(partial(checks_that_tell_their_start, ReviewPolicy(), SchedulingAtStart()), last)
    assert told == f"policy={os.SCHED_IDLE} cpus={[last]}"


@pytest.mark.parametrize(
    ("wanted", "available", "expected"),
    [(0, {0, 1}, {1}), (0, {0}, {0}), (0, {0, 1, 2, 3}, {1, 2, 3}), (1, {0, 1, 2, 3}, {3}), (4, {0, 1}, {0, 1})],
)
def test_reviews_leave_one_cpu_to_the_requests_unless_told_how_many_to_use(
    wanted: int, available: set[int], expected: set[int]
) -> None:
    assert review_cpus(wanted, available) == expected
