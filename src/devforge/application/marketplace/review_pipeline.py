"""The review pipeline: validation checks, then scanning checks (the malware scanner among them,
with the signature scanner's rules over every file beside it), then the fail-closed verdict.
Disabled checks are not run; every check that runs leaves a result, a crash included (ERRORED,
with the detail for administrators only)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from devforge.application.marketplace.code_analyser import CodeAnalyser
from devforge.application.marketplace.code_scan import MeasuredCodeQualityCheck, PackageCodeReader, SuspiciousCodeCheck
from devforge.application.marketplace.malware_scanner import MalwareScanner, ScanVerdict
from devforge.application.marketplace.review_policy import SCANNING_CHECKS, VALIDATION_CHECKS, ReviewPolicy
from devforge.application.marketplace.signature_scanner import SignatureScanner
from devforge.domain.marketplace.archive_safety import ArchiveSafetyCheck
from devforge.domain.marketplace.checks import ReviewCheck, run_check
from devforge.domain.marketplace.documentation import DocumentationCheck
from devforge.domain.marketplace.errors import ArchiveUnsafe
from devforge.domain.marketplace.hash_blocklist import HashBlocklistCheck
from devforge.domain.marketplace.manifest import Manifest, ManifestCheck, read_manifest
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckOutcome, CheckResult, Finding, ReviewVerdict, verdict
from devforge.domain.marketplace.review_outcome import UploadSlotCheck
from devforge.domain.marketplace.secret_scan import SecretScanCheck
from devforge.domain.marketplace.spdx import LicenseExpressions

MALWARE = "malware"
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class UploadSlot:
    publisher: str
    extension: str
    version: str


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
    def __init__(
        self,
        policy: ReviewPolicy,
        scanner: MalwareScanner,
        licenses: LicenseExpressions,
        analyser: CodeAnalyser,
        signatures: SignatureScanner,
        extra_checks: Sequence[ReviewCheck] = (),
    ) -> None:
        self._policy, self._scanner, self._extra = policy, scanner, tuple(extra_checks)
        self._licenses, self._analyser, self._signatures = licenses, analyser, signatures

    def checks(self, slot: UploadSlot) -> dict[str, ReviewCheck]:
        """Every synchronous check by name; tests add their own (``extra_checks``). The code is read
        once per run, for both checks that need it."""
        code = PackageCodeReader(self._analyser)
        standard: list[ReviewCheck] = [
            ArchiveSafetyCheck(self._policy.limits),
            ManifestCheck(self._licenses),
            UploadSlotCheck(slot.publisher, slot.extension, slot.version),
            DocumentationCheck(),
            MeasuredCodeQualityCheck(self._policy.code_quality, code),
            SecretScanCheck(),
            HashBlocklistCheck(self._policy.blocked_sha256),
            SuspiciousCodeCheck(code),
        ]
        return {str(check.name): check for check in (*standard, *self._extra)}

    async def run(self, archive: bytes | Path, slot: UploadSlot) -> ReviewRun:
        """The package checks are CPU work: they run in a thread, so a large package does not
        stall the worker's event loop. A package on disk is read a file at a time, in chunks, and
        goes to the malware scanner as a stream, so a review's memory does not grow with it."""
        package = ExtensionPackage(archive, self._policy.limits)
        checks = self.checks(slot)
        extra = [name for name in checks if name not in VALIDATION_CHECKS + SCANNING_CHECKS]
        validation, scanning = await asyncio.to_thread(self._run_local, package, checks, extra)
        if self._policy.enabled(MALWARE):
            signed = await asyncio.to_thread(self._signature_findings, package)
            scanning.append(await self._malware(archive, signed))
        settings = {name: self._policy.settings_of(name) for name in (*VALIDATION_CHECKS, *SCANNING_CHECKS, *extra)}
        decided = verdict((*validation, *scanning), settings)
        manifest = await asyncio.to_thread(_manifest, package)
        if manifest is None:
            return ReviewRun(validation, tuple(scanning), decided)
        facts = (manifest.engine.text, manifest.pre_release, manifest.dependencies)
        return ReviewRun(validation, tuple(scanning), decided, *facts)

    def _run_local(
        self, package: ExtensionPackage, checks: dict[str, ReviewCheck], extra: list[str]
    ) -> tuple[tuple[CheckResult, ...], list[CheckResult]]:
        validation = tuple(run_check(checks[name], package) for name in VALIDATION_CHECKS if self._policy.enabled(name))
        scanning = [
            run_check(checks[name], package)
            for name in (*SCANNING_CHECKS, *extra)
            if name != MALWARE and self._policy.enabled(name)
        ]
        return validation, scanning

    def _signature_findings(self, package: ExtensionPackage) -> list[Finding]:
        """The signature rules over every file (nested ones too); an unsafe archive has none to read
        (archive safety refuses it)."""
        findings: list[Finding] = []
        try:
            for path, chunks in package.chunks():
                data = b"".join(chunks)
                for match in self._signatures.matches(data, path):
                    line = data.count(b"\n", 0, match.offset) + 1
                    message = f"{path}, line {line}: {match.description} (rule {match.rule})."
                    findings.append(Finding("signature", message, path, line))
        except ArchiveUnsafe:
            return []
        return findings

    async def _malware(self, archive: bytes | Path, signed: list[Finding]) -> CheckResult:
        """The malware scanner's verdict and the signature rules' findings: either finding blocks."""
        try:
            scanned = await self._scanner.scan(archive if isinstance(archive, bytes) else _chunks_of(archive))
        except Exception as error:  # the port promises not to raise; fail closed if it does
            if signed:
                return CheckResult.from_findings(MALWARE, signed, "")
            return CheckResult.errored(MALWARE, f"{type(error).__name__}: {error}")
        scanners = f"{scanned.scanner} and {self._signatures.name}"
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


def _manifest(package: ExtensionPackage) -> Manifest | None:
    """The manifest, when the archive is safe and the manifest valid."""
    try:
        manifest, _ = read_manifest(package.files)
    except ArchiveUnsafe:
        return None
    return manifest
