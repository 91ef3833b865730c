"""License declarations: an SPDX license expression, ``SEE LICENSE IN <file>`` or ``UNLICENSED``.

An expression combines SPDX identifiers with ``AND``, ``OR``, ``WITH <exception>`` and
parentheses; an identifier may end in ``+`` (that version or later). Identifiers are matched
without regard to case against a compact list of the licenses extensions commonly use;
operators must be upper case, as the SPDX grammar has them. ``UNLICENSED`` declares a
proprietary package that grants no rights (npm's convention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devforge.domain.marketplace.errors import LicenseInvalid

# A compact list of the SPDX identifiers extensions commonly use (the full list has 600+).
_SPDX_LIST = """
0BSD AFL-3.0 AGPL-3.0-only AGPL-3.0-or-later Apache-1.1 Apache-2.0 Artistic-2.0 BlueOak-1.0.0
BSD-1-Clause BSD-2-Clause BSD-3-Clause BSD-3-Clause-Clear BSD-4-Clause BSL-1.0 CC-BY-3.0 CC-BY-4.0
CC-BY-SA-4.0 CC0-1.0 CDDL-1.0 CDDL-1.1 ECL-2.0 EPL-1.0 EPL-2.0 EUPL-1.1 EUPL-1.2 GPL-2.0
GPL-2.0-only GPL-2.0-or-later GPL-3.0 GPL-3.0-only GPL-3.0-or-later ISC LGPL-2.1 LGPL-2.1-only
LGPL-2.1-or-later LGPL-3.0 LGPL-3.0-only LGPL-3.0-or-later MIT MIT-0 MPL-1.1 MPL-2.0 MS-PL MS-RL
NCSA OFL-1.1 OSL-3.0 PostgreSQL Python-2.0 Ruby Unicode-3.0 Unicode-DFS-2016 Unlicense UPL-1.0 W3C
WTFPL Zlib ZPL-2.1
"""
_SPDX_EXCEPTION_LIST = """
Autoconf-exception-3.0 Bison-exception-2.2 Classpath-exception-2.0 GCC-exception-3.1 LLVM-exception
OpenJDK-assembly-exception-1.0 Qt-LGPL-exception-1.1 Font-exception-2.0
"""
SPDX_IDS = tuple(_SPDX_LIST.split())
SPDX_EXCEPTIONS = tuple(_SPDX_EXCEPTION_LIST.split())
_IDS = {identifier.casefold(): identifier for identifier in SPDX_IDS}
_EXCEPTIONS = {exception.casefold(): exception for exception in SPDX_EXCEPTIONS}
SEE_LICENSE = re.compile(r"SEE LICENSE IN (\S+)")
TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9.+-]+)")
MAX_LENGTH = 256


@dataclass(frozen=True)
class LicenseDeclaration:
    text: str
    identifiers: tuple[str, ...] = ()
    see_file: str | None = None
    proprietary: bool = False


def parse_license(text: str) -> LicenseDeclaration:
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        raise _invalid(text)
    if text == "UNLICENSED":
        return LicenseDeclaration(text, proprietary=True)
    if see := SEE_LICENSE.fullmatch(text):
        return LicenseDeclaration(text, see_file=see[1].removeprefix("./"))
    tokens = _tokens(text)
    parser = _Parser(tokens, text)
    parser.expression()
    if parser.position != len(tokens):
        raise _invalid(text)
    return LicenseDeclaration(text, identifiers=tuple(parser.identifiers))


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise _invalid(text)
        tokens.append(match[1])
        position = match.end()
    return tokens


class _Parser:
    """expression := term (('AND' | 'OR') term)*;  term := '(' expression ')' | id ['+'] ['WITH' exception]"""

    def __init__(self, tokens: list[str], text: str) -> None:
        self.tokens, self.text, self.position = tokens, text, 0
        self.identifiers: list[str] = []

    def expression(self) -> None:
        self.term()
        while self._peek() in ("AND", "OR"):
            self.position += 1
            self.term()

    def term(self) -> None:
        token = self._take()
        if token == "(":  # noqa: S105 - a parenthesis, not a password
            self.expression()
            if self._take() != ")":
                raise _invalid(self.text)
            return
        canonical = _IDS.get(token.removesuffix("+").casefold())
        if canonical is None:
            raise _invalid(self.text, token)
        self.identifiers.append(canonical)
        if self._peek() == "WITH":
            self.position += 1
            if _EXCEPTIONS.get(self._take().casefold()) is None:
                raise _invalid(self.text)

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            raise _invalid(self.text)
        self.position += 1
        return token


def _invalid(text: str, unknown: str | None = None) -> LicenseInvalid:
    detail = f"'{unknown}' is not an SPDX license identifier we recognise" if unknown else "it is not a valid license"
    return LicenseInvalid(
        f"The license '{text[:MAX_LENGTH]}' is refused: {detail}. Use an SPDX expression such as MIT or "
        "(Apache-2.0 OR MIT), 'SEE LICENSE IN <file>', or UNLICENSED for a proprietary package.",
        field="license",
    )
