"""Documentation: a real README and a CHANGELOG entry for the version being published."""

from __future__ import annotations

import pytest

from devforge.domain.marketplace.documentation import DocumentationCheck
from devforge.domain.marketplace.review import CheckOutcome

from .zips import clean_files, package_of

TEMPLATE_README = (
    b'# rainbow-brackets README\n\nThis is the README for your extension "rainbow-brackets". After writing up a'
    b" brief description, we recommend including the following sections.\n\n**Enjoy!**\n"
)


def test_a_clean_package_is_documented() -> None:
    assert DocumentationCheck().run(package_of(clean_files())).outcome is CheckOutcome.PASSED


@pytest.mark.parametrize(
    ("replace", "words"),
    [
        ({"extension/README.md": None}, "no README.md"),
        ({"extension/README.md": TEMPLATE_README}, "still holds the template text"),
        ({"extension/README.md": b"# x\n\nTODO\n"}, "nearly empty"),
        ({"extension/CHANGELOG.md": None}, "no CHANGELOG.md"),
        (
            {"extension/CHANGELOG.md": b"# Changelog\n\n## 1.1.0\n- old\n\nMentions 1.2.0 mid-line.\n"},
            "no entry for version 1.2.0",
        ),
        ({"extension/CHANGELOG.md": b"## 1.2.0-beta\n"}, "no entry for version 1.2.0"),
        ({"extension/package.json": b"{}"}, "cannot be checked until the manifest is valid"),
    ],
)
def test_missing_or_template_documentation_fails(replace: dict[str, bytes | None], words: str) -> None:
    result = DocumentationCheck().run(package_of(clean_files(replace)))
    assert result.outcome is CheckOutcome.FAILED and words in result.publisher_message


@pytest.mark.parametrize("heading", [b"## [1.2.0] - 2026-05-01", b"# v1.2.0", b"1.2.0 (May 2026)", b"### 1.2.0"])
def test_common_changelog_headings_count_as_an_entry(heading: bytes) -> None:
    files = clean_files({"extension/CHANGELOG.md": b"# Changelog\n\n" + heading + b"\n- changes\n"})
    assert DocumentationCheck().run(package_of(files)).outcome is CheckOutcome.PASSED


TWO_SENTENCES = (
    b"# Rainbow Brackets\n\nRainbow Brackets colours matching brackets so nested code is easy to read. "
    b"It works in every language the editor highlights.\n\n## Usage\n\nOpen a file.\n"
)


@pytest.mark.parametrize(
    "readme",
    [
        TWO_SENTENCES,
        TWO_SENTENCES.replace(b"## Usage", b"Getting started\n---------------"),
        TWO_SENTENCES.replace(b"# Rainbow Brackets\n\n", b"").replace(b"## Usage", b"Usage:"),  # plain text
        TWO_SENTENCES.replace(b"## Usage", b"### Commands"),
        "# Regenbogenklammern\n\nFärbt zusammengehörige Klammern, damit verschachtelter Code lesbar bleibt. "
        "Funktioniert mit jeder Sprache, die der Editor hervorhebt.\n\n## Usage\n\nÖffne eine Datei.\n".encode(),
    ],
    ids=["two sentences and usage", "underlined heading", "plain-text label", "commands", "not english"],
)
def test_a_real_short_readme_with_a_usage_section_passes(readme: bytes) -> None:
    result = DocumentationCheck().run(package_of(clean_files({"extension/README.md": readme})))
    assert result.outcome is CheckOutcome.PASSED, result.publisher_message


@pytest.mark.parametrize(
    ("readme", "rule"),
    [
        (b"a" * 90, "readme_too_short"),
        (b"# Usage\n\n" + b"a" * 90 + b"\n", "readme_too_short"),
        (b"# Usage\n\n" + b"x " * 90, "readme_too_short"),
        (b"# Usage\n\n" + b"brackets brackets brackets colour " * 10, "readme_too_short"),
        (b"# Usage\n\n" + b"brackets " * 30 + b"one two three four five six seven eight", "readme_repetitive"),
        (b"# Usage\n\n" + b"1234567890 " * 20 + b"!!! --- ***", "readme_too_short"),
        (TWO_SENTENCES.replace(b"## Usage", b"## Licence"), "readme_usage_missing"),
        (TWO_SENTENCES.replace(b"## Usage\n\n", b""), "readme_usage_missing"),
    ],
    ids=[
        "90 repeated letters",
        "90 letters under a usage heading",
        "one letter repeated",
        "four words repeated",
        "one word over and over",
        "no letters",
        "no usage heading",
        "no headings",
    ],
)
def test_a_readme_without_content_fails_by_rule(readme: bytes, rule: str) -> None:
    result = DocumentationCheck().run(package_of(clean_files({"extension/README.md": readme})))
    assert result.outcome is CheckOutcome.FAILED, result.publisher_message
    assert [finding.rule for finding in result.findings if finding.path] == [rule]
