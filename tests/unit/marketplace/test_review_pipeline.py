"""The standard checks end to end: a clean package is approved, each hostile package is refused by
the check named for its problem, and a crashing required check blocks publication."""

from __future__ import annotations

import json
import random
import string
from typing import ClassVar

import pytest

from devforge.adapters.scanning.tree_sitter_code_analyser import TreeSitterCodeAnalyser
from devforge.adapters.spdx.license_expressions import SpdxLicenseExpressions
from devforge.application.marketplace.standard_checks import default_settings, standard_checks
from devforge.domain.marketplace.checks import run_check
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import (
    CheckOutcome,
    CheckResult,
    CheckSettings,
    Decision,
    ReviewVerdict,
    verdict,
)

from .test_documentation import TEMPLATE_README
from .zips import SYMLINK_MODE, RawEntry, build_zip, clean_files, manifest, raw_zip

LEAKED_KEY = "dfk_live_" + "".join(random.Random(3).choice(string.ascii_letters) for _ in range(43))


def review(archive: bytes) -> tuple[ReviewVerdict, dict[str, CheckResult]]:
    checks = standard_checks(SpdxLicenseExpressions(), TreeSitterCodeAnalyser())
    package = ExtensionPackage(archive)
    results = [run_check(check, package) for check in checks]
    return verdict(results, default_settings(checks)), {result.check: result for result in results}


def test_a_clean_package_is_approved_by_every_check() -> None:
    decided, results = review(build_zip(clean_files()))
    assert decided.decision is Decision.APPROVED and decided.blocking_reasons == ()
    assert {name: result.outcome for name, result in results.items()} == dict.fromkeys(results, CheckOutcome.PASSED)
    assert set(results) == {
        "archive_safety",
        "manifest",
        "documentation",
        "code_quality",
        "secrets",
        "hash_blocklist",
        "suspicious_code",
    }


HOSTILE = {
    "zip-slip": (
        raw_zip([RawEntry("extension/package.json"), RawEntry("../../evil.js")]),
        "archive_safety",
        "path traversal",
    ),
    "symlink": (raw_zip([RawEntry("extension/out", b"/etc", mode=SYMLINK_MODE)]), "archive_safety", "symbolic link"),
    "case duplicates": (raw_zip([RawEntry("A.js"), RawEntry("a.js")]), "archive_safety", "differ only in letter case"),
    "leaked key": (
        build_zip(clean_files({"extension/out/ci.js": f"const k = '{LEAKED_KEY}';".encode()})),
        "secrets",
        "Dev Forge API key",
    ),
    "obfuscated eval": (
        build_zip(clean_files({"extension/out/extension.js": b"eval(atob('YWxlcnQoMSk='));"})),
        "suspicious_code",
        "decoded",
    ),
    "missing license": (
        build_zip(clean_files({"extension/package.json": json.dumps(manifest(license=None)).encode()})),
        "manifest",
        "'license' is required",
    ),
    "bad semver": (
        build_zip(clean_files({"extension/package.json": json.dumps(manifest(version="1.2")).encode()})),
        "manifest",
        "not a semantic version",
    ),
    "template README": (
        build_zip(clean_files({"extension/README.md": TEMPLATE_README})),
        "documentation",
        "template text",
    ),
    "low coverage": (
        build_zip(clean_files({"extension/coverage.xml": b'<coverage line-rate="0.42"/>'})),
        "code_quality",
        "Line coverage is 42% in extension/coverage.xml; at least 60% is required",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_package_is_rejected_by_the_named_check_with_a_clear_reason(case: str) -> None:
    archive, check, words = HOSTILE[case]
    decided, results = review(archive)
    assert decided.decision is Decision.REJECTED
    assert results[check].outcome is CheckOutcome.FAILED and words in results[check].publisher_message
    assert any(reason.check == check and words in reason.message for reason in decided.blocking_reasons)


class ExplodingScanner:
    name: ClassVar[str] = "malware"

    def run(self, package: ExtensionPackage) -> CheckResult:
        raise ConnectionError("clamd at 10.0.0.5:3310 refused the connection")


def test_a_crash_is_errored_with_the_detail_for_admins_only_and_a_required_check_crashing_blocks() -> None:
    package = ExtensionPackage(build_zip(clean_files()))
    crashed = run_check(ExplodingScanner(), package)
    assert crashed.outcome is CheckOutcome.ERRORED and crashed.check == "malware"
    assert "10.0.0.5" in crashed.admin_detail and "ConnectionError" in crashed.admin_detail
    assert "10.0.0.5" not in crashed.publisher_message and "could not complete" in crashed.publisher_message
    checks = standard_checks(SpdxLicenseExpressions(), TreeSitterCodeAnalyser())
    results = [*(run_check(check, package) for check in checks), crashed]
    settings = default_settings(checks)
    assert verdict(results, {**settings, "malware": CheckSettings(required=True)}).decision is Decision.NEEDS_ATTENTION
    assert verdict(results, {**settings, "malware": CheckSettings(required=False)}).decision is Decision.APPROVED


def test_a_check_answering_for_another_check_is_errored() -> None:
    class Impostor:
        name = "secrets"

        def run(self, package: ExtensionPackage) -> CheckResult:
            return CheckResult("manifest", CheckOutcome.PASSED, "all good")

    result = run_check(Impostor(), ExtensionPackage(build_zip(clean_files())))
    assert result.outcome is CheckOutcome.ERRORED and result.check == "secrets"


def test_checks_that_read_files_of_an_unsafe_archive_are_skipped_instead_of_passing() -> None:
    """Nothing crashed, so nothing claims an administrator was told: they say why they did not run."""
    _, results = review(raw_zip([RawEntry("../evil.js")]))
    assert results["archive_safety"].outcome is CheckOutcome.FAILED
    others = [results[name] for name in results if name != "archive_safety"]
    assert {result.outcome for result in others} == {CheckOutcome.SKIPPED}
    assert all("archive is unsafe" in result.publisher_message for result in others)
