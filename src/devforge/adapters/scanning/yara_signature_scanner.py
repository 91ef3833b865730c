"""YARA-X (the Rust rewrite of YARA, wheels on PyPI, no system library) over the rules in
``yara_rules/`` (every ``*.yar``, compiled once per process; a rule may read the external
``filename``, the file's path in the package). Kept in the repository so a rule
is reviewed like code. The served profiles compile the rules in each review process as it starts
(``review_processes.py``): a rule that does not compile fails that process's start, so every
review errors (fail closed, the compiler's message in the server's log) instead of passing
unscanned; the test suite compiles them, so such a rule does not get that far."""

from __future__ import annotations

from pathlib import Path

import yara_x

from devforge.application.marketplace.signature_scanner import SignatureMatch

RULES_FOLDER = Path(__file__).parent / "yara_rules"


class YaraSignatureScanner:
    name = "yara-x"

    def __init__(self, folder: Path = RULES_FOLDER) -> None:
        compiler = yara_x.Compiler()
        compiler.define_global("filename", "")
        for path in sorted(folder.glob("*.yar")):
            compiler.add_source(path.read_text(encoding="utf-8"), origin=path.name)
        self._rules = compiler.build()

    def matches(self, data: bytes, path: str = "") -> list[SignatureMatch]:
        found: list[SignatureMatch] = []
        scanner = yara_x.Scanner(self._rules)
        scanner.set_global("filename", path)
        for rule in scanner.scan(data).matching_rules:
            offsets = [match.offset for pattern in rule.patterns for match in pattern.matches]
            description = str(dict(rule.metadata).get("description", rule.identifier))
            found.append(SignatureMatch(rule.identifier, description, min(offsets, default=0)))
        return found
