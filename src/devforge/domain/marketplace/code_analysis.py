"""What the server learns from a package's JavaScript and TypeScript by parsing it: findings (each
with a severity, file and line) and quality figures it measures itself (size, cyclomatic
complexity, the lint rules it runs), never taken from the publisher's reports.

Obfuscation signals (very long lines, packed or high-entropy strings) are not looked for in a
*declared vendor bundle*: a file under ``node_modules/`` or ``vendor/``, named ``*.min.js`` or
``*.bundle.js``, or matching a glob of the manifest's ``"vendorBundles"`` list. Every other rule
(dynamic code execution, process execution, fetch-then-execute) applies to every file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from devforge.domain.marketplace.review import Finding

CODE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
BUNDLE_FOLDERS = ("node_modules", "vendor")
BUNDLE_SUFFIXES = (".min.js", ".min.mjs", ".min.cjs", ".bundle.js")


def is_code(path: str) -> bool:
    return path.lower().endswith(CODE_SUFFIXES)


def is_declared_bundle(path: str, declared: Iterable[str] = ()) -> bool:
    lowered = path.lower()
    if lowered.endswith(BUNDLE_SUFFIXES) or any(part in BUNDLE_FOLDERS for part in lowered.split("/")[:-1]):
        return True
    return any(fnmatchcase(path, glob) or fnmatchcase(path, f"*/{glob}") for glob in declared)


def lines_of_code(source: str) -> int:
    """Lines holding something other than blanks and comments (a line opening or continuing a
    block comment counts as a comment)."""
    return sum(1 for line in source.splitlines() if (kept := line.strip()) and not kept.startswith(("//", "/*", "*")))


@dataclass(frozen=True)
class CodeFigures:
    """Measured over the code files: ``complexity_max`` is the most complex function's cyclomatic
    complexity (1 + its decision points); ``lint`` counts each lint rule's problems."""

    files: int = 0
    lines_of_code: int = 0
    functions: int = 0
    complexity_max: int = 0
    complexity_total: int = 0
    lint: tuple[tuple[str, int], ...] = ()

    def plus(self, other: CodeFigures) -> CodeFigures:
        lint = Counter(dict(self.lint)) + Counter(dict(other.lint))
        return CodeFigures(
            self.files + other.files,
            self.lines_of_code + other.lines_of_code,
            self.functions + other.functions,
            max(self.complexity_max, other.complexity_max),
            self.complexity_total + other.complexity_total,
            tuple(sorted(lint.items())),
        )

    @property
    def lint_problems(self) -> int:
        return sum(count for _, count in self.lint)

    def describe(self) -> str:
        if not self.files:
            return "Measured by the server: no JavaScript or TypeScript code."
        mean = self.complexity_total / self.functions if self.functions else 0.0
        rules = ", ".join(f"{rule} {count}" for rule, count in self.lint)
        lint = f"{self.lint_problems} lint problem(s) ({rules})" if self.lint else "no lint problems"
        return (
            f"Measured by the server: {self.lines_of_code:,} lines of code in {self.files} file(s), "
            f"{self.functions} function(s), cyclomatic complexity at most {self.complexity_max} "
            f"(mean {mean:.1f}), {lint}."
        )


@dataclass(frozen=True)
class CodeAnalysis:
    findings: tuple[Finding, ...] = ()
    figures: CodeFigures = CodeFigures()
