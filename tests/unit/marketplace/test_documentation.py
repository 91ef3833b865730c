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
