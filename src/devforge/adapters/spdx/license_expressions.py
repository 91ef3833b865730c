"""SPDX license expressions checked by ``license-expression`` (aboutcode) against the SPDX
license list it bundles (with ScanCode's license index): ``AND``, ``OR``, ``WITH <exception>``,
parentheses, ``+``, every listed id (``BSD-2-Clause-Patent`` included) and exception, deprecated
ids under their current name, and user-defined ``LicenseRef-<idstring>`` (optionally after
``DocumentRef-<idstring>:``), which no list holds by definition.

House rules on top of the library: operators must be upper case (SPDX matches them
case-sensitively; the library would take ``and``), and ids are answered canonical.
"""

from __future__ import annotations

import re
from functools import cache

from license_expression import ExpressionError, Licensing, get_spdx_licensing

from devforge.domain.marketplace.spdx import invalid

LICENSE_REF = re.compile(
    r"(?<![A-Za-z0-9.:-])(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+(?![A-Za-z0-9.:-])", re.IGNORECASE
)
WORDS = re.compile(r"[^\s()]+")
OPERATORS = frozenset({"and", "or", "with"})
ALLOWED = re.compile(r"[A-Za-z0-9.+:()\s-]+")


class SpdxLicenseExpressions:
    """The bundled list is loaded once per process (a quarter of a second) and shared."""

    def __init__(self, licensing: Licensing | None = None) -> None:
        self._licensing = licensing or _bundled()

    def identifiers(self, expression: str) -> tuple[str, ...]:
        if not ALLOWED.fullmatch(expression):
            raise invalid(expression, why="it holds characters no SPDX expression has")
        lowered = [word for word in WORDS.findall(expression) if word.lower() in OPERATORS and not word.isupper()]
        if lowered:
            raise invalid(expression, why=f"the operator '{lowered[0]}' must be upper case")
        refs: dict[str, str] = {}  # user-defined ids stand aside: the library maps some to ScanCode's own

        def aside(found: re.Match[str]) -> str:
            placeholder = f"devforgeuserref{len(refs)}"
            refs[placeholder] = found[0]
            return placeholder

        try:
            parsed = self._licensing.parse(LICENSE_REF.sub(aside, expression), validate=False, strict=True)
        except (ExpressionError, ValueError) as error:  # ExpressionParseError is an ExpressionError
            raise invalid(expression, why="it is not a valid SPDX expression") from error
        if parsed is None:
            raise invalid(expression)
        unknown = [key for key in self._licensing.unknown_license_keys(parsed) if key not in refs]
        if unknown:
            raise invalid(expression, unknown=unknown[0])
        symbols = self._licensing.license_symbols(parsed, unique=True, decompose=True)
        return tuple(refs.get(symbol.key, symbol.key) for symbol in symbols if not symbol.is_exception)


@cache
def _bundled() -> Licensing:
    return get_spdx_licensing()
