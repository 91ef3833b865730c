"""Semantic versions (semver 2.0.0): ``MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]``.

Numbers carry no leading zeros; prerelease identifiers are dot-separated, alphanumeric or numeric
(numeric ones without leading zeros); build metadata is kept but never affects precedence.
Precedence: numbers compare numerically; a prerelease version is lower than its release;
prerelease identifiers compare left to right, numeric ones by value and below alphanumeric
ones, alphanumeric ones in ASCII order, and a shorter list of equal identifiers is lower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from devforge.domain.marketplace.errors import VersionInvalid

MAX_LENGTH = 256
_NUMBER = r"0|[1-9][0-9]*"
_PRERELEASE_ID = r"0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*"
SEMVER = re.compile(
    rf"(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<pre>(?:{_PRERELEASE_ID})(?:\.(?:{_PRERELEASE_ID}))*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)

PrereleaseId = int | str


@dataclass(frozen=True)
class Version:
    """Equality is exact (build included); ordering is precedence, where build does not count."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[PrereleaseId, ...] = ()
    build: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Version:
        match = SEMVER.fullmatch(text) if len(text) <= MAX_LENGTH else None
        if match is None:
            hint = " (drop the leading 'v')" if text[:1] in ("v", "V") else ""
            raise VersionInvalid(f"'{text[:MAX_LENGTH]}' is not a semantic version like 1.2.3{hint}.", field="version")
        pre = match["pre"]
        return cls(
            int(match["major"]),
            int(match["minor"]),
            int(match["patch"]),
            tuple(int(part) if part.isdigit() else part for part in pre.split(".")) if pre else (),
            tuple(match["build"].split(".")) if match["build"] else (),
        )

    @property
    def core(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    def precedence_key(self) -> tuple[Any, ...]:
        identifiers = tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in self.prerelease)
        return (*self.core, 0 if self.prerelease else 1, identifiers)

    def same_precedence(self, other: Version) -> bool:
        return self.precedence_key() == other.precedence_key()

    def __lt__(self, other: Version) -> bool:
        return self.precedence_key() < other.precedence_key()

    def __le__(self, other: Version) -> bool:
        return self.precedence_key() <= other.precedence_key()

    def __gt__(self, other: Version) -> bool:
        return self.precedence_key() > other.precedence_key()

    def __ge__(self, other: Version) -> bool:
        return self.precedence_key() >= other.precedence_key()

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(str(part) for part in self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text
