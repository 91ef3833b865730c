"""Engine ranges in npm syntax: which editor versions an extension says it works with."""

from __future__ import annotations

import pytest

from devforge.domain.marketplace.engine_range import EngineRange
from devforge.domain.marketplace.errors import EngineRangeInvalid
from devforge.domain.marketplace.semver import Version

CASES = [
    ("^1.2.3", ["1.2.3", "1.9.0"], ["1.2.2", "2.0.0", "2.0.0-alpha", "1.3.0-beta"]),
    ("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0", "0.2.2"]),
    ("^0.0.3", ["0.0.3"], ["0.0.4"]),
    ("^1.2", ["1.2.0", "1.99.0"], ["2.0.0", "1.1.9"]),
    ("~1.2.3", ["1.2.3", "1.2.9"], ["1.3.0", "1.2.2"]),
    ("~1.2", ["1.2.0", "1.2.9"], ["1.3.0"]),
    (">=1.0.0 <2.0.0", ["1.0.0", "1.99.99"], ["2.0.0", "0.9.9"]),
    (">= 1.0.0  < 2.0.0", ["1.5.0"], ["2.0.0"]),
    ("1.x", ["1.0.0", "1.9.9"], ["2.0.0", "0.9.0"]),
    ("1.2.x", ["1.2.7"], ["1.3.0"]),
    ("*", ["0.0.1", "99.0.0"], ["1.0.0-beta"]),
    ("1.2.3 - 2.3", ["1.2.3", "2.3.9"], ["2.4.0", "1.2.2"]),
    ("1.2.3 - 2.3.4", ["2.3.4"], ["2.3.5"]),
    ("<1.2 || >=3", ["1.1.9", "3.0.0"], ["1.2.0", "2.5.0"]),
    (">1.2", ["1.3.0"], ["1.2.9"]),
    ("<=1.2", ["1.2.9"], ["1.3.0"]),
    ("1.2.3", ["1.2.3", "1.2.3+build"], ["1.2.4"]),
    (">=1.80.0-insider.1 <2", ["1.80.0-insider.2", "1.81.0"], ["1.81.0-insider.1", "1.80.0-alpha"]),
]


@pytest.mark.parametrize(("text", "inside", "outside"), CASES)
def test_a_range_allows_exactly_the_versions_npm_would(text: str, inside: list[str], outside: list[str]) -> None:
    engine = EngineRange.parse(text)
    assert [engine.allows(Version.parse(version)) for version in inside] == [True] * len(inside)
    assert [engine.allows(Version.parse(version)) for version in outside] == [False] * len(outside)


@pytest.mark.parametrize(
    "text", ["", "   ", "latest", "^", "1.x.3", "01.2", ">=1.0.0 ||", "1.2-beta", ">>1", "^1.2.3.4", "1 - ^2"]
)
def test_malformed_ranges_are_refused(text: str) -> None:
    with pytest.raises(EngineRangeInvalid, match="not a valid engine range"):
        EngineRange.parse(text)
