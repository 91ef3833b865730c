"""From the verdict to the version's state, and the check that ties a package to its upload slot.

A rejection by a check that looks for hostile content (an unsafe archive, a blocklisted file,
obfuscated or remote code, malware) *quarantines* the version: it stays for an administrator to
look at and is never offered to anyone. Other rejections (a bad manifest, a template README, a
leaked secret) are the publisher's to fix. A verdict that needs attention (a required check
crashed or did not run) leaves the version *errored*: never passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from devforge.domain.marketplace.manifest import read_manifest
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Decision, Finding, ReviewVerdict
from devforge.domain.marketplace.version import ReviewState

QUARANTINING_CHECKS = frozenset({"archive_safety", "hash_blocklist", "suspicious_code", "malware"})


def state_after(verdict: ReviewVerdict) -> ReviewState:
    if verdict.decision is Decision.APPROVED:
        return ReviewState.PASSED
    if verdict.decision is Decision.NEEDS_ATTENTION:
        return ReviewState.ERRORED
    hostile = any(reason.check in QUARANTINING_CHECKS for reason in verdict.blocking_reasons)
    return ReviewState.QUARANTINED if hostile else ReviewState.REJECTED


@dataclass(frozen=True)
class UploadSlotCheck:
    """The manifest names the publisher, extension and version the package was uploaded as."""

    name: ClassVar[str] = "upload_slot"
    publisher: str
    extension: str
    version: str

    def run(self, package: ExtensionPackage) -> CheckResult:
        manifest, _ = read_manifest(package.files)
        if manifest is None:  # the manifest check reports why; a required check that skips still blocks
            return CheckResult.skipped(self.name, "the manifest is not valid, so the upload cannot be matched to it.")
        findings = [
            Finding("slot_mismatch", f"The manifest says {field} '{found}', but it was uploaded as '{wanted}'.")
            for field, found, wanted in (
                ("publisher", manifest.publisher, self.publisher),
                ("name", manifest.name, self.extension),
                ("version", str(manifest.version), self.version),
            )
            if found != wanted
        ]
        return CheckResult.from_findings(self.name, findings, "The manifest matches the upload.")
