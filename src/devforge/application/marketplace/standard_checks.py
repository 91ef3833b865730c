"""The standard review: its checks, in the order they run, and their default switches.

Archive safety runs first; the other checks read the package's files, which an unsafe archive
never yields (such a check is then skipped, and the verdict still blocks). Every default is enabled,
enforced and required; the pipeline's settings may relax them per check.
"""

from __future__ import annotations

from collections.abc import Iterable

from devforge.application.marketplace.code_analyser import CodeAnalyser
from devforge.application.marketplace.code_scan import MeasuredCodeQualityCheck, PackageCodeReader, SuspiciousCodeCheck
from devforge.domain.marketplace.archive_safety import DEFAULT_LIMITS, ArchiveLimits, ArchiveSafetyCheck
from devforge.domain.marketplace.checks import ReviewCheck
from devforge.domain.marketplace.code_quality import CodeQualityCheck
from devforge.domain.marketplace.documentation import DocumentationCheck
from devforge.domain.marketplace.hash_blocklist import HashBlocklistCheck
from devforge.domain.marketplace.manifest import ManifestCheck
from devforge.domain.marketplace.review import CheckSettings
from devforge.domain.marketplace.secret_scan import SecretScanCheck
from devforge.domain.marketplace.spdx import LicenseExpressions


def standard_checks(
    licenses: LicenseExpressions,
    analyser: CodeAnalyser,
    *,
    blocked_sha256: Iterable[str] = (),
    limits: ArchiveLimits = DEFAULT_LIMITS,
    code_quality: CodeQualityCheck | None = None,
) -> tuple[ReviewCheck, ...]:
    code = PackageCodeReader(analyser)
    return (
        ArchiveSafetyCheck(limits),
        ManifestCheck(licenses),
        DocumentationCheck(),
        MeasuredCodeQualityCheck(code_quality or CodeQualityCheck(), code),
        SecretScanCheck(),
        HashBlocklistCheck(blocked_sha256),
        SuspiciousCodeCheck(code),
    )


def default_settings(checks: Iterable[ReviewCheck]) -> dict[str, CheckSettings]:
    return {check.name: CheckSettings() for check in checks}
