"""Documentation: a README that is not the generator's template, and a CHANGELOG entry for the version.

The README (``README.md``, ``README`` or ``README.txt``, any letter case, next to the manifest)
must hold at least 80 characters of text and none of the phrases the extension generator's
template ships with. The CHANGELOG (``CHANGELOG.md`` or ``CHANGELOG``) must have a line that
starts with the version, optionally after '#' marks, '[' or 'v': ``## [1.2.0] - 2026-05-01``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from devforge.domain.marketplace.manifest import read_manifest
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding

MIN_README_CHARACTERS = 80
TEMPLATE_PHRASES = (
    "this is the readme for your extension",
    "describe specific features of your extension",
    "you can author your readme using visual studio code",
    "provide a short description of your extension",
    "lorem ipsum",
    "todo: write readme",
)


class DocumentationCheck:
    name: ClassVar[str] = "documentation"

    def run(self, package: ExtensionPackage) -> CheckResult:
        manifest, _ = read_manifest(package.files)
        root = (
            manifest.root
            if manifest is not None
            else ("extension/" if "extension/package.json" in package.files else "")
        )
        findings = readme_findings(package, root)
        if manifest is None:
            findings.append(
                Finding("changelog_unchecked", "The CHANGELOG cannot be checked until the manifest is valid.")
            )
        else:
            findings.extend(changelog_findings(package, root, str(manifest.version)))
        return CheckResult.from_findings(self.name, findings, "README and CHANGELOG are in order.")


def readme_findings(package: ExtensionPackage, root: str) -> list[Finding]:
    path = package.find(root + "README.md", root + "README", root + "README.txt")
    if path is None:
        return [Finding("readme_missing", "The package has no README.md.")]
    text = package.files[path].decode("utf-8", errors="replace")
    lowered = " ".join(text.lower().split())
    template = next((phrase for phrase in TEMPLATE_PHRASES if phrase in lowered), None)
    if template is not None:
        message = f"The README still holds the template text ('{template}...'); describe your extension."
        return [Finding("readme_template", message, path)]
    if len("".join(text.split())) < MIN_README_CHARACTERS:
        return [Finding("readme_too_short", "The README is nearly empty; describe your extension.", path)]
    return []


def changelog_findings(package: ExtensionPackage, root: str, version: str) -> list[Finding]:
    path = package.find(root + "CHANGELOG.md", root + "CHANGELOG")
    if path is None:
        return [Finding("changelog_missing", "The package has no CHANGELOG.md.")]
    text = package.files[path].decode("utf-8", errors="replace")
    entry = re.compile(rf"^[ \t]*(?:#+[ \t]*)?\[?v?{re.escape(version)}(?![0-9A-Za-z.+-])", re.MULTILINE)
    if entry.search(text) is None:
        return [Finding("changelog_entry_missing", f"The CHANGELOG has no entry for version {version}.", path)]
    return []
