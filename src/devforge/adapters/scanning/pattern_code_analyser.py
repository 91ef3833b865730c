"""The simple code analyser: the older line patterns (``suspicious_code.code_patterns``), no parser.
It sees ``eval(atob(...))`` on one line but not a decoded value evaluated on the next, nor a
callee built at run time: kept as the port's second adapter, for the contract suite, and for tests
that do not need a parser. Its figures are the lines of code alone."""

from __future__ import annotations

from devforge.domain.marketplace.code_analysis import CodeAnalysis, CodeFigures, lines_of_code
from devforge.domain.marketplace.suspicious_code import code_patterns


class PatternCodeAnalyser:
    def analyse(self, path: str, source: str, *, bundle: bool = False) -> CodeAnalysis:
        figures = CodeFigures(files=1, lines_of_code=lines_of_code(source))
        return CodeAnalysis(tuple(code_patterns(path, source)), figures)
