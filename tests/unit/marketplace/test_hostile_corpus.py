"""Issue 13's must-show: at least 40 hostile packages, every class of the issue's "Why" among them,
each refused (a HIGH finding: rejected or quarantined) or sent to a reviewer (a MEDIUM finding:
never approved automatically), with a reason citing the file and, for what is in a file, the line.
The review runs as the worker runs it, on the real adapters: tree-sitter, YARA-X, the built-in
malware scanner."""

from __future__ import annotations

import pytest

from devforge.adapters.scanning.builtin_malware_scanner import BuiltinMalwareScanner
from devforge.adapters.scanning.tree_sitter_code_analyser import TreeSitterCodeAnalyser
from devforge.adapters.scanning.yara_signature_scanner import YaraSignatureScanner
from devforge.adapters.spdx.license_expressions import SpdxLicenseExpressions
from devforge.application.marketplace.package_checks import InThreadAnalysis, PackageChecks
from devforge.application.marketplace.review_pipeline import ReviewPipeline, ReviewRun, UploadSlot
from devforge.application.marketplace.review_policy import ReviewPolicy
from devforge.domain.marketplace.review import Decision, Finding, Severity

from .corpus import clean_package
from .hostile_packages import HUMAN, REFUSED, Hostile, hostile_packages

CORPUS = hostile_packages()
SLOT = UploadSlot("acme", "rainbow-brackets", "1.2.0")


@pytest.fixture(scope="module")
def pipeline() -> ReviewPipeline:
    checks = PackageChecks(ReviewPolicy(), SpdxLicenseExpressions(), TreeSitterCodeAnalyser(), YaraSignatureScanner())
    return ReviewPipeline(ReviewPolicy(), BuiltinMalwareScanner(), InThreadAnalysis(checks))


def findings(run: ReviewRun) -> list[Finding]:
    return [finding for result in run.results for finding in result.findings]


def test_the_corpus_holds_at_least_forty_packages_refused_and_sent_to_a_reviewer() -> None:
    assert len(CORPUS) >= 40
    assert {hostile.fate for hostile in CORPUS.values()} == {REFUSED, HUMAN}


@pytest.mark.parametrize("case", CORPUS)
async def test_each_hostile_package_is_refused_or_sent_to_a_reviewer_citing_file_and_line(
    pipeline: ReviewPipeline, case: str
) -> None:
    hostile: Hostile = CORPUS[case]
    run = await pipeline.run(hostile.archive, SLOT)
    cited = [finding for finding in findings(run) if finding.rule == hostile.rule]
    assert cited, f"no {hostile.rule} finding among {[(f.rule, f.path) for f in findings(run)]}"
    finding = cited[0]
    assert (finding.path or "") == hostile.path and finding.line == hostile.line
    if hostile.line is not None:
        assert f"{hostile.path}, line {hostile.line}" in finding.message
    if hostile.fate == REFUSED:
        assert finding.severity is Severity.HIGH and run.verdict.decision is Decision.REJECTED
        assert any(finding.message in reason.message or hostile.rule for reason in run.verdict.blocking_reasons)
    else:
        assert finding.severity is Severity.MEDIUM and finding in run.for_a_human


async def test_the_clean_package_is_neither_refused_nor_sent_to_a_reviewer(pipeline: ReviewPipeline) -> None:
    run = await pipeline.run(clean_package(), SLOT)
    assert run.verdict.decision is Decision.APPROVED and run.for_a_human == ()
