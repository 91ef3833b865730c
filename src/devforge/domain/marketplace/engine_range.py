"""Engine ranges: which editor versions an extension works with, in npm's range syntax.

A range is one or more comparator sets joined by ``||``; a set is comparators separated by spaces
(all must hold) or a hyphen range ``1.2.3 - 2.3.4``. Comparators: ``<``, ``<=``, ``>``, ``>=``,
``=`` or none with a full or partial version (``1``, ``1.2``, ``1.x``, ``*``), ``~`` (patch
updates: ``~1.2.3`` is ``>=1.2.3 <1.3.0``), ``^`` (no change of the left-most non-zero number:
``^0.2.3`` is ``>=0.2.3 <0.3.0``). As in npm, a prerelease editor version satisfies a set only
when a comparator of that set names a prerelease of the same ``MAJOR.MINOR.PATCH``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devforge.domain.marketplace.errors import EngineRangeInvalid, VersionInvalid
from devforge.domain.marketplace.semver import Version

MAX_LENGTH = 256
_PART = r"[0-9]+|[xX*]"
PARTIAL = re.compile(
    rf"(?P<op><=|>=|<|>|=|\^|~>?|)(?P<major>{_PART})(?:\.(?P<minor>{_PART}))?(?:\.(?P<patch>{_PART}))?(?P<tail>[-+].*)?"
)
HYPHEN = re.compile(r"(\S+)\s+-\s+(\S+)")
NUMBER = re.compile(r"0|[1-9][0-9]*")

Partial = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class Comparator:
    op: str  # one of <, <=, >, >=, =
    version: Version

    def test(self, version: Version) -> bool:
        key, bound = version.precedence_key(), self.version.precedence_key()
        return {"<": key < bound, "<=": key <= bound, ">": key > bound, ">=": key >= bound, "=": key == bound}[self.op]


ANY = (Comparator(">=", Version(0, 0, 0)),)
NOTHING = (Comparator("<", Version(0, 0, 0, (0,))),)


@dataclass(frozen=True)
class EngineRange:
    text: str
    alternatives: tuple[tuple[Comparator, ...], ...]

    @classmethod
    def parse(cls, text: str) -> EngineRange:
        if not text.strip() or len(text) > MAX_LENGTH:
            raise _invalid(text)
        return cls(text, tuple(_parse_set(part.strip(), text) for part in text.split("||")))

    def allows(self, version: Version) -> bool:
        return any(_set_allows(comparators, version) for comparators in self.alternatives)


def _set_allows(comparators: tuple[Comparator, ...], version: Version) -> bool:
    if not all(comparator.test(version) for comparator in comparators):
        return False
    if not version.is_prerelease:
        return True
    return any(c.version.is_prerelease and c.version.core == version.core for c in comparators)


def _parse_set(part: str, whole: str) -> tuple[Comparator, ...]:
    if not part:
        raise _invalid(whole)
    if hyphen := HYPHEN.fullmatch(part):
        low, high = (_partial(token, whole) for token in hyphen.groups())
        if low[0] != "" or high[0] != "":
            raise _invalid(whole)
        return (*_desugar(">=", low[1], low[2]), *_desugar("<=", high[1], high[2]))
    tokens = re.sub(r"(<=|>=|<|>|=|\^|~>?)\s+", r"\1", part).split()
    comparators: list[Comparator] = []
    for token in tokens:
        op, numbers, exact = _partial(token, whole)
        comparators.extend(_desugar(op, numbers, exact))
    return tuple(comparators)


def _partial(token: str, whole: str) -> tuple[str, Partial, Version | None]:
    match = PARTIAL.fullmatch(token)
    if match is None:
        raise _invalid(whole)
    parts = [match["major"], match["minor"], match["patch"]]
    numbers: list[int | None] = []
    for raw in parts:
        if raw is None or raw in "xX*":
            numbers.append(None)
        elif NUMBER.fullmatch(raw) and numbers.count(None) == 0:
            numbers.append(int(raw))
        else:
            raise _invalid(whole)  # leading zero, or a number after a wildcard
    exact = None
    if None not in numbers:
        try:
            exact = Version.parse(token[len(match["op"]) :])
        except VersionInvalid:
            raise _invalid(whole) from None
    elif match["tail"]:
        raise _invalid(whole)  # a prerelease needs a full version
    return match["op"], (numbers[0], numbers[1], numbers[2]), exact


def _desugar(op: str, numbers: Partial, exact: Version | None) -> tuple[Comparator, ...]:
    major, minor, _ = numbers
    if exact is not None:
        return _desugar_exact(op, exact)
    if major is None:
        return NOTHING if op in ("<", ">") else ANY
    low = Version(major, minor or 0, 0)
    high = _floor(major + 1, 0) if minor is None else _floor(major, minor + 1)
    if op == "^" and major == 0 and minor is not None:
        high = _floor(0, minor + 1)
    elif op == "^" and minor is not None:
        high = _floor(major + 1, 0)
    return {
        ">": (Comparator(">=", Version(high.major, high.minor, 0)),),
        ">=": (Comparator(">=", low),),
        "<": (Comparator("<", _floor(low.major, low.minor)),),
        "<=": (Comparator("<", high),),
    }.get(op, (Comparator(">=", low), Comparator("<", high)))


def _desugar_exact(op: str, version: Version) -> tuple[Comparator, ...]:
    if op in ("", "="):
        return (Comparator("=", version),)
    if op in ("<", "<=", ">", ">="):
        return (Comparator(op, version),)
    if op.startswith("~") or version.major > 0:
        high = _floor(version.major, version.minor + 1) if op.startswith("~") else _floor(version.major + 1, 0)
    elif version.minor > 0:
        high = _floor(0, version.minor + 1)
    else:
        high = Version(0, 0, version.patch + 1, (0,))
    return (Comparator(">=", version), Comparator("<", high))


def _floor(major: int, minor: int) -> Version:
    """The lowest version of ``major.minor``, below its prereleases too (npm's ``-0``)."""
    return Version(major, minor, 0, (0,))


def _invalid(text: str) -> EngineRangeInvalid:
    return EngineRangeInvalid(
        f"'{text[:MAX_LENGTH]}' is not a valid engine range; use forms like ^1.2.3, ~1.2, >=1.0.0 <2.0.0, 1.x or *.",
        field="engines.devforge",
    )
