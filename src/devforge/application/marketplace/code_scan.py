"""The package's code, read once per review for two checks: ``suspicious_code`` (the analyser's
findings, the obfuscation and network-host line rules, install-time scripts) and ``code_quality``
(the figures the server measured, beside what the publisher's reports claim).

Every file is read, nested archives' files included, whatever its encoding. JavaScript and
TypeScript files go to the ``CodeAnalyser`` port; every ``package.json`` is read for install-time
scripts. Declared vendor bundles (``code_analysis.is_declared_bundle``, with the manifest's
``devforge.vendorBundles`` globs) are spared the obfuscation signals and are not in the figures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import ClassVar

from devforge.application.marketplace.code_analyser import CodeAnalyser
from devforge.domain.marketplace.code_analysis import CodeAnalysis, CodeFigures, is_code, is_declared_bundle
from devforge.domain.marketplace.code_quality import CodeQualityCheck, declarations
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding
from devforge.domain.marketplace.suspicious_code import (
    DEFAULT_ALLOWED_HOSTS,
    install_scripts,
    network_hosts,
    obfuscation_signals,
)


@dataclass(frozen=True)
class CodeReport:
    findings: tuple[Finding, ...]
    figures: CodeFigures


class PackageCodeReader:
    """One per review run: it keeps the report of the last package it read."""

    def __init__(self, analyser: CodeAnalyser, allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS) -> None:
        self._analyser = analyser
        self._allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        self._last: tuple[ExtensionPackage, CodeReport] | None = None

    def report(self, package: ExtensionPackage) -> CodeReport:
        if self._last is not None and self._last[0] is package:
            return self._last[1]
        declared = _vendor_bundles(package)
        seen: dict[tuple[str, str, bool], tuple[str, CodeAnalysis]] = {}
        findings: list[Finding] = []
        figures = CodeFigures()
        for path, chunks in package.chunks():
            name = path.rsplit("!/", 1)[-1]
            manifest = name.rsplit("/", 1)[-1].lower() == "package.json"
            if not (manifest or is_code(name)):
                continue  # not read at all
            text = b"".join(chunks).decode("utf-8", "replace")
            if manifest:
                vendored = "!/" in path or "node_modules" in path.split("/")
                findings.extend(install_scripts(path, text, vendored=vendored))
                continue
            bundle = is_declared_bundle(path, declared)
            analysis = self._analysed(path, text, bundle, seen)
            findings.extend(analysis.findings)
            findings.extend(obfuscation_signals(path, text, bundle=bundle))
            findings.extend(network_hosts(path, text, self._allowed_hosts))
            if not bundle:
                figures = figures.plus(analysis.figures)
        report = CodeReport(tuple(findings), figures)
        self._last = (package, report)
        return report

    def _analysed(
        self, path: str, text: str, bundle: bool, seen: dict[tuple[str, str, bool], tuple[str, CodeAnalysis]]
    ) -> CodeAnalysis:
        """A file shipped twice (a package and an archive of its own files) is parsed once; the
        second copy's findings cite the second copy."""
        key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), path.rsplit(".", 1)[-1], bundle)
        if key not in seen:
            seen[key] = (path, self._analyser.analyse(path, text, bundle=bundle))
            return seen[key][1]
        first, analysis = seen[key]
        moved = tuple(
            replace(finding, path=path, message=finding.message.replace(first, path, 1))
            for finding in analysis.findings
        )
        return replace(analysis, findings=moved)


class SuspiciousCodeCheck:
    name: ClassVar[str] = "suspicious_code"

    def __init__(self, reader: PackageCodeReader) -> None:
        self._reader = reader

    def run(self, package: ExtensionPackage) -> CheckResult:
        return CheckResult.from_findings(self.name, self._reader.report(package).findings, "No suspicious code found.")


class MeasuredCodeQualityCheck:
    """The publisher's reports held to the bar (``CodeQualityCheck``: its coverage figure is
    labelled *claimed*), followed by what the server measured itself."""

    name: ClassVar[str] = "code_quality"

    def __init__(self, reports: CodeQualityCheck, reader: PackageCodeReader) -> None:
        self._reports, self._reader = reports, reader

    def run(self, package: ExtensionPackage) -> CheckResult:
        result = self._reports.run(package)
        measured = self._reader.report(package).figures.describe()
        return CheckResult(
            result.check,
            result.outcome,
            f"{result.publisher_message} {measured}",
            result.admin_detail,
            result.findings,
        )


def _vendor_bundles(package: ExtensionPackage) -> tuple[str, ...]:
    """The manifest's ``devforge.vendorBundles`` globs (relative to the manifest's folder)."""
    globs = declarations(package.files)[1].get("vendorBundles")
    return tuple(glob for glob in globs if isinstance(glob, str)) if isinstance(globs, list) else ()
