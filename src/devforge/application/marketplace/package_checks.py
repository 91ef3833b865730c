"""The CPU-bound half of a review: the synchronous checks over a package, the signature rules over
every file and the manifest's facts, all in one call (``PackageChecks.analyse``) that takes a
package and gives back plain, picklable results.

Where that call runs is a port, ``ReviewAnalysis``: the review pipeline awaits it and goes on with
the malware scanner (I/O) and the verdict. ``InThreadAnalysis`` runs it in a thread of this
process (tests, tools); the composition root serves ``adapters/scanning/review_processes.py``,
which runs it in a pool of child processes, so unpacking, hashing, the code analyser and YARA do
not hold the GIL the process's event loop (the API's requests, in the embedded profile) needs.
An analysis whose process died raises ``AnalysisCrashed``: the pipeline errors that review (fail
closed, the administrators are told), and the next one runs in a fresh process.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from devforge.application.marketplace.code_analyser import CodeAnalyser
from devforge.application.marketplace.code_scan import MeasuredCodeQualityCheck, PackageCodeReader, SuspiciousCodeCheck
from devforge.application.marketplace.malware_scanner import PackageFileScanner, ScanResult
from devforge.application.marketplace.review_policy import SCANNING_CHECKS, VALIDATION_CHECKS, ReviewPolicy
from devforge.application.marketplace.signature_scanner import SignatureScanner
from devforge.domain.marketplace.archive_safety import ArchiveSafetyCheck
from devforge.domain.marketplace.checks import ReviewCheck, run_check
from devforge.domain.marketplace.documentation import DocumentationCheck
from devforge.domain.marketplace.errors import ArchiveUnsafe
from devforge.domain.marketplace.hash_blocklist import HashBlocklistCheck
from devforge.domain.marketplace.manifest import ManifestCheck, read_manifest
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding
from devforge.domain.marketplace.review_outcome import UploadSlotCheck
from devforge.domain.marketplace.secret_scan import SecretScanCheck
from devforge.domain.marketplace.spdx import LicenseExpressions

MALWARE = "malware"


@dataclass(frozen=True)
class UploadSlot:
    publisher: str
    extension: str
    version: str


@dataclass(frozen=True)
class ManifestFacts:
    engine_range: str
    pre_release: bool
    dependencies: tuple[str, ...]


@dataclass(frozen=True)
class PackageAnalysis:
    """Every enabled check's result but the malware scanner's, the signature rules' findings (they go
    into the malware check), and the manifest's facts (None: unsafe archive or invalid manifest)."""

    validation: tuple[CheckResult, ...]
    scanning: tuple[CheckResult, ...]
    signed: tuple[Finding, ...]
    manifest: ManifestFacts | None
    signature_scanner: str  # the signature scanner's name, told in the malware check's message
    analysed_by: int = 0  # the id of the process that ran it (what it ran on, for administrators)
    scanned: ScanResult | None = None  # the malware scanner's verdict, when the analysis ran it


class AnalysisCrashed(Exception):
    """The process running an analysis died (killed, out of memory): nothing of it is known."""


class ReviewAnalysis(Protocol):
    async def analyse(
        self, archive: bytes | Path, slot: UploadSlot, scanner: PackageFileScanner | None = None
    ) -> PackageAnalysis:
        """Raises ``AnalysisCrashed`` when the analysis could not finish; a check's own crash is
        its ERRORED result, never an exception. ``scanner``, when given, scans the package there too."""
        ...


class PackageChecks:
    def __init__(
        self,
        policy: ReviewPolicy,
        licenses: LicenseExpressions,
        analyser: CodeAnalyser,
        signatures: SignatureScanner,
        extra_checks: Sequence[ReviewCheck] = (),
    ) -> None:
        self.policy, self._licenses, self._analyser, self.signatures = policy, licenses, analyser, signatures
        self._extra = tuple(extra_checks)

    def checks(self, slot: UploadSlot) -> dict[str, ReviewCheck]:
        """Every synchronous check by name; tests add their own (``extra_checks``). The code is read
        once per run, for both checks that need it."""
        code = PackageCodeReader(self._analyser)
        standard: list[ReviewCheck] = [
            ArchiveSafetyCheck(self.policy.limits),
            ManifestCheck(self._licenses),
            UploadSlotCheck(slot.publisher, slot.extension, slot.version),
            DocumentationCheck(),
            MeasuredCodeQualityCheck(self.policy.code_quality, code),
            SecretScanCheck(),
            HashBlocklistCheck(self.policy.blocked_sha256),
            SuspiciousCodeCheck(code),
        ]
        return {str(check.name): check for check in (*standard, *self._extra)}

    def analyse(
        self, archive: bytes | Path, slot: UploadSlot, scanner: PackageFileScanner | None = None
    ) -> PackageAnalysis:
        """A package on disk is read a file at a time, in chunks: memory does not grow with it."""
        package = ExtensionPackage(archive, self.policy.limits)
        checks = self.checks(slot)
        enabled = self.policy.enabled
        extra = [name for name in checks if name not in VALIDATION_CHECKS + SCANNING_CHECKS]
        validation = tuple(run_check(checks[name], package) for name in VALIDATION_CHECKS if enabled(name))
        scanning = tuple(
            run_check(checks[name], package) for name in (*SCANNING_CHECKS, *extra) if name != MALWARE and enabled(name)
        )
        signed = self._signature_findings(package) if enabled(MALWARE) else ()
        facts = _manifest(package)
        scanned = _scanned(scanner, archive) if scanner is not None and enabled(MALWARE) else None
        return PackageAnalysis(validation, scanning, signed, facts, self.signatures.name, os.getpid(), scanned)

    def _signature_findings(self, package: ExtensionPackage) -> tuple[Finding, ...]:
        """The signature rules over every file (nested ones too); an unsafe archive has none to read
        (archive safety refuses it)."""
        findings: list[Finding] = []
        try:
            for path, chunks in package.chunks():
                data = b"".join(chunks)
                for match in self.signatures.matches(data, path):
                    line = data.count(b"\n", 0, match.offset) + 1
                    message = f"{path}, line {line}: {match.description} (rule {match.rule})."
                    findings.append(Finding("signature", message, path, line))
        except ArchiveUnsafe:
            return ()
        return tuple(findings)


class InThreadAnalysis:
    """The analysis in a thread of this process: it shares the GIL with the event loop."""

    def __init__(self, checks: PackageChecks) -> None:
        self._checks = checks

    async def analyse(
        self, archive: bytes | Path, slot: UploadSlot, scanner: PackageFileScanner | None = None
    ) -> PackageAnalysis:
        return await asyncio.to_thread(self._checks.analyse, archive, slot, scanner)


def _scanned(scanner: PackageFileScanner, archive: bytes | Path) -> ScanResult:
    """The scanner's verdict; its crash is an ERROR (fail closed), never the analysis's."""
    try:
        return scanner.scan_package(archive)
    except Exception as error:  # the port promises not to raise
        return ScanResult.error(scanner.name, f"{type(error).__name__}: {error}")


def _manifest(package: ExtensionPackage) -> ManifestFacts | None:
    """The manifest's facts, when the archive is safe and the manifest valid."""
    try:
        manifest, _ = read_manifest(package.files)
    except ArchiveUnsafe:
        return None
    if manifest is None:
        return None
    return ManifestFacts(manifest.engine.text, manifest.pre_release, tuple(manifest.dependencies))
