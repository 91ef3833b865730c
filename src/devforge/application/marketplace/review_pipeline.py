"""The review pipeline: validation checks, then scanning checks (the malware scanner among them,
with the signature scanner's rules over every file beside it), then the fail-closed verdict.
Disabled checks are not run; every check that runs leaves a result, a crash included (ERRORED,
with the detail for administrators only)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

from devforge.application.marketplace.malware_scanner import MalwareScanner, PackageFileScanner, ScanResult, ScanVerdict
from devforge.application.marketplace.package_checks import AnalysisCrashed, ReviewAnalysis, UploadSlot
from devforge.application.marketplace.review_policy import SCANNING_CHECKS, VALIDATION_CHECKS, ReviewPolicy
from devforge.domain.marketplace.review import CheckOutcome, CheckResult, CheckSettings, Finding, ReviewVerdict, verdict

__all__ = ["ReviewPipeline", "ReviewRun", "UploadSlot"]

MALWARE = "malware"
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class ReviewRun:
    validation: tuple[CheckResult, ...]
    scanning: tuple[CheckResult, ...]
    verdict: ReviewVerdict
    engine_range: str | None = None
    pre_release: bool = False  # the manifest's "preRelease"
    dependencies: tuple[str, ...] = ()  # the manifest's "extensionDependencies"

    @property
    def results(self) -> tuple[CheckResult, ...]:
        return self.validation + self.scanning

    @property
    def for_a_human(self) -> tuple[Finding, ...]:
        """Every finding of MEDIUM or higher, in any check: such a version waits for a reviewer."""
        return tuple(finding for result in self.results for finding in result.for_a_human)

    @property
    def crashed(self) -> tuple[str, ...]:
        return tuple(result.check for result in self.results if result.outcome is CheckOutcome.ERRORED)

    def reported(self) -> ReviewRun:
        """The run as told once the administrators' notice of its crashes is posted: each crashed
        check's message (and its reason in the verdict) says they were notified."""
        told = {(r.check, r.publisher_message): r.reported().publisher_message for r in self.results}
        reasons = tuple(
            replace(reason, message=told.get((reason.check, reason.message), reason.message))
            for reason in self.verdict.reasons
        )
        return replace(
            self,
            validation=tuple(result.reported() for result in self.validation),
            scanning=tuple(result.reported() for result in self.scanning),
            verdict=replace(self.verdict, reasons=reasons),
        )


class ReviewPipeline:
    def __init__(self, policy: ReviewPolicy, scanner: MalwareScanner, analysis: ReviewAnalysis) -> None:
        self._policy, self._scanner, self._analysis = policy, scanner, analysis

    async def run(self, archive: bytes | Path, slot: UploadSlot) -> ReviewRun:
        """The package checks are CPU work: ``ReviewAnalysis`` runs them away from the event loop (a
        pool of processes, in the served profiles), so a large package stalls neither the worker
        nor the requests of a process that serves both. A package on disk goes to the malware
        scanner as a stream, so a review's memory does not grow with it."""
        try:
            analysed = await self._analysis.analyse(archive, slot, self._reads_the_package)
        except AnalysisCrashed as error:
            return self._crashed(error)
        scanning = list(analysed.scanning)
        if self._policy.enabled(MALWARE):
            scanned = analysed.scanned if analysed.scanned is not None else await self._scan(archive)
            scanning.append(self._malware(scanned, list(analysed.signed), analysed.signature_scanner))
        results = (*analysed.validation, *scanning)
        decided = verdict(results, self._settings(results))
        facts = analysed.manifest
        if facts is None:
            return ReviewRun(analysed.validation, tuple(scanning), decided)
        return ReviewRun(
            analysed.validation, tuple(scanning), decided, facts.engine_range, facts.pre_release, facts.dependencies
        )

    def _settings(self, results: tuple[CheckResult, ...]) -> dict[str, CheckSettings]:
        names = (*VALIDATION_CHECKS, *SCANNING_CHECKS, *(result.check for result in results))
        return {name: self._policy.settings_of(name) for name in names}

    def _crashed(self, error: AnalysisCrashed) -> ReviewRun:
        """Nothing of the package is known: every enabled check errored (fail closed, and the
        administrators are told), the malware scanner's verdict being worthless without the rules."""
        detail = f"The analysis process died before it finished: {error}"
        enabled = self._policy.enabled
        validation = tuple(CheckResult.errored(name, detail) for name in VALIDATION_CHECKS if enabled(name))
        scanning = tuple(CheckResult.errored(name, detail) for name in SCANNING_CHECKS if enabled(name))
        results = (*validation, *scanning)
        return ReviewRun(validation, scanning, verdict(results, self._settings(results)))

    @property
    def _reads_the_package(self) -> PackageFileScanner | None:
        """The scanner, when it reads the package itself: the analysis runs it, off the event loop."""
        enabled = self._policy.enabled(MALWARE)
        return self._scanner if enabled and isinstance(self._scanner, PackageFileScanner) else None

    async def _scan(self, archive: bytes | Path) -> ScanResult:
        """A scanner elsewhere (clamd) gets the package as a stream; its crash is an ERROR."""
        try:
            return await self._scanner.scan(archive if isinstance(archive, bytes) else _chunks_of(archive))
        except Exception as error:  # the port promises not to raise; fail closed if it does
            return ScanResult.error(self._scanner.name, f"{type(error).__name__}: {error}")

    def _malware(self, scanned: ScanResult, signed: list[Finding], rules: str) -> CheckResult:
        """The malware scanner's verdict and the signature rules' findings: either finding blocks."""
        scanners = f"{scanned.scanner} and {rules}"
        if scanned.verdict is ScanVerdict.INFECTED:
            found = Finding("malware", f"The malware scanner found {scanned.signature or 'malware'}.")
            return CheckResult.from_findings(MALWARE, [found, *signed], "")
        if signed or scanned.verdict is ScanVerdict.CLEAN:
            return CheckResult.from_findings(MALWARE, signed, f"No malware found ({scanners}).")
        return CheckResult.errored(MALWARE, f"{scanned.scanner}: {scanned.detail or 'no detail'}")


async def _chunks_of(path: Path) -> AsyncIterator[bytes]:
    file = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
            yield chunk
    finally:
        file.close()
