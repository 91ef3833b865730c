"""The code analyser port: it parses one JavaScript or TypeScript file and reports findings (severity,
file, line) and the figures it measured. Pure and synchronous (the review runs its checks in a
thread); it never raises for bad code: what it cannot parse it reports as a finding for a human.
Served by ``adapters/scanning/tree_sitter_code_analyser.py`` (a real parser) and, in tests that
need none, ``adapters/scanning/pattern_code_analyser.py`` (the older line patterns)."""

from __future__ import annotations

from typing import Protocol

from devforge.domain.marketplace.code_analysis import CodeAnalysis


class CodeAnalyser(Protocol):
    def analyse(self, path: str, source: str, *, bundle: bool = False) -> CodeAnalysis:
        """``bundle``: the file is a declared vendor bundle, so obfuscation signals are not reported."""
        ...
