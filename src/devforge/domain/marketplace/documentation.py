"""Documentation: a README that is not the generator's template, and a CHANGELOG entry for the version.

The README (``README.md``, ``README`` or ``README.txt``, any letter case, next to the manifest)
is measured by its content, not its characters: at least ``MIN_README_WORDS`` words of which
``MIN_DISTINCT_WORDS`` different (a word is a run of at most ``MAX_WORD_LETTERS`` letters, so 90
repeated letters are no word at all), no word making up more than ``MAX_WORD_SHARE`` of them, and
a section that tells how to use the extension: a heading (Markdown ``#``, an underlined line, or
a plain-text line ending in ``:``) naming usage, getting started, commands, features, settings or
the like. None of the phrases the extension generator's template ships with. The CHANGELOG
(``CHANGELOG.md`` or ``CHANGELOG``) must have a line that
starts with the version, optionally after '#' marks, '[' or 'v': ``## [1.2.0] - 2026-05-01``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from devforge.domain.marketplace.manifest import read_manifest
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding

MIN_README_WORDS = 12
MIN_DISTINCT_WORDS = 8
MAX_WORD_LETTERS = 30
MAX_WORD_SHARE = 0.4
WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:['\u2019-][^\W\d_]+)*(?![^\W\d_])")
ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
SETEXT_HEADING = re.compile(r"^[ ]{0,3}(\S.*?)[ \t]*\n[ ]{0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
LABEL_HEADING = re.compile(r"^[ ]{0,3}([^\W\d_][^:\n]{0,40}):[ \t]*$", re.MULTILINE)
USAGE_WORDS = (
    "usage",
    "how to use",
    "using",
    "use",
    "getting started",
    "get started",
    "quick start",
    "quickstart",
    "commands",
    "features",
    "examples",
    "example",
    "configuration",
    "settings",
    "keybindings",
    "shortcuts",
    "tutorial",
)
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
    return content_findings(text, path)


def content_findings(text: str, path: str) -> list[Finding]:
    """Words, their variety, and a usage section."""
    words = [word.casefold() for word in WORD.findall(text) if len(word) <= MAX_WORD_LETTERS]
    distinct = set(words)
    if len(words) < MIN_README_WORDS or len(distinct) < MIN_DISTINCT_WORDS:
        message = (
            f"The README is nearly empty ({len(words)} words, {len(distinct)} different); describe your "
            f"extension in at least {MIN_README_WORDS} words."
        )
        return [Finding("readme_too_short", message, path)]
    commonest = max(words.count(word) for word in distinct)
    if commonest > MAX_WORD_SHARE * len(words):
        return [
            Finding("readme_repetitive", "The README repeats one word over and over; describe your extension.", path)
        ]
    if not any(_names_usage(heading) for heading in headings(text)):
        message = "The README has no usage section; add a heading such as '## Usage' that tells how to use it."
        return [Finding("readme_usage_missing", message, path)]
    return []


def headings(text: str) -> list[str]:
    """Markdown headings (``#`` and underlined) and plain-text labels (a short line ending in ':')."""
    text = text.replace("\r\n", "\n")
    found = ATX_HEADING.findall(text) + SETEXT_HEADING.findall(text) + LABEL_HEADING.findall(text)
    return [" ".join(heading.casefold().split()) for heading in found]


def _names_usage(heading: str) -> bool:
    words = " ".join(WORD.findall(heading.casefold()))
    return any(re.search(rf"(?<!\w){re.escape(usage)}(?!\w)", words) for usage in USAGE_WORDS)


def changelog_findings(package: ExtensionPackage, root: str, version: str) -> list[Finding]:
    path = package.find(root + "CHANGELOG.md", root + "CHANGELOG")
    if path is None:
        return [Finding("changelog_missing", "The package has no CHANGELOG.md.")]
    text = package.files[path].decode("utf-8", errors="replace")
    entry = re.compile(rf"^[ \t]*(?:#+[ \t]*)?\[?v?{re.escape(version)}(?![0-9A-Za-z.+-])", re.MULTILINE)
    if entry.search(text) is None:
        return [Finding("changelog_entry_missing", f"The CHANGELOG has no entry for version {version}.", path)]
    return []
