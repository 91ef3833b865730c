"""Entry names an archive may not hold, beyond the path rules of archive safety: a NUL byte (zip
readers stop the name there, so a file's code would be read under a shorter name), other control
or invisible format characters (bidi overrides, zero-width), a name that is not in Unicode NFC (it
has a twin that renders the same), and a second root manifest (``package.json`` beside
``extension/package.json``: which one names ``main`` depends on the reader)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from devforge.domain.marketplace.review import Finding

ROOT_MANIFESTS = ("extension/package.json", "package.json")


def name_problem(raw: str) -> tuple[str, str] | None:
    """(rule, why) for a name an archive may not hold; ``raw`` is the name as stored, NULs included."""
    shown = raw.encode("unicode_escape").decode("ascii")
    if "\x00" in raw:
        return "nul_in_name", f"'{shown}' holds a NUL byte, which hides the rest of its name"
    if any(unicodedata.category(character) in ("Cc", "Cf") for character in raw):
        return "control_in_name", f"'{shown}' holds control or invisible characters"
    if not unicodedata.is_normalized("NFC", raw):
        return "name_not_nfc", f"'{shown}' is not in Unicode NFC; another name renders the same"
    return None


def name_findings(raw_names: Iterable[str]) -> list[Finding]:
    findings: list[Finding] = []
    manifests: list[str] = []
    for raw in raw_names:
        problem = name_problem(raw)
        if problem is not None:
            rule, why = problem
            findings.append(Finding(rule, f"{why}; rename it.", raw.split("\x00")[0]))
        if raw.casefold() in ROOT_MANIFESTS:
            manifests.append(raw)
    if len(manifests) > 1:
        message = f"The package has two root manifests ({' and '.join(manifests)}); keep one."
        findings.append(Finding("second_manifest", message, manifests[-1]))
    return findings
