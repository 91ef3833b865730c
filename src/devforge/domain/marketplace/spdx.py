"""License declarations: an SPDX license expression, ``SEE LICENSE IN <file>`` or ``UNLICENSED``.

The manifest reader takes the declaration's shape (``declared_license``); whether an expression
is valid SPDX is the ``LicenseExpressions`` port's to say (the SPDX license list is data that
changes with every SPDX release, and the grammar is a library's: see
``adapters/spdx/license_expressions.py``), asked by the manifest check (``parse_license``).
``UNLICENSED`` declares a proprietary package that grants no rights (npm's convention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from devforge.domain.marketplace.errors import LicenseInvalid

SEE_LICENSE = re.compile(r"SEE LICENSE IN (\S+)")
MAX_LENGTH = 256


@dataclass(frozen=True)
class LicenseDeclaration:
    text: str
    identifiers: tuple[str, ...] = ()  # canonical SPDX ids (and LicenseRef-s), once checked
    see_file: str | None = None
    proprietary: bool = False

    @property
    def expression(self) -> bool:
        return self.see_file is None and not self.proprietary


class LicenseExpressions(Protocol):
    def identifiers(self, expression: str) -> tuple[str, ...]:
        """The license ids of a valid SPDX expression, canonical and in order of appearance
        (exceptions left out); raises ``LicenseInvalid`` (see ``invalid``) for anything else."""
        ...


def declared_license(text: str) -> LicenseDeclaration:
    """The declaration's shape; an expression is not checked here."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        raise invalid(text)
    if text == "UNLICENSED":
        return LicenseDeclaration(text, proprietary=True)
    if see := SEE_LICENSE.fullmatch(text):
        return LicenseDeclaration(text, see_file=see[1].removeprefix("./"))
    return LicenseDeclaration(text)


def parse_license(text: str, expressions: LicenseExpressions) -> LicenseDeclaration:
    declared = declared_license(text)
    if not declared.expression:
        return declared
    return replace(declared, identifiers=expressions.identifiers(declared.text))


def invalid(text: str, unknown: str | None = None, why: str | None = None) -> LicenseInvalid:
    detail = (
        f"'{unknown}' is not on the SPDX license list (nor a LicenseRef-)"
        if unknown
        else (why or "it is not a valid license")
    )
    return LicenseInvalid(
        f"The license '{text[:MAX_LENGTH]}' is refused: {detail}. Use an SPDX expression such as MIT or "
        "(Apache-2.0 OR MIT), 'SEE LICENSE IN <file>', or UNLICENSED for a proprietary package.",
        field="license",
    )
