"""Semantic versions: parsing per semver 2.0.0 and precedence as the specification orders it."""

from __future__ import annotations

import functools
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.marketplace.errors import VersionInvalid
from devforge.domain.marketplace.semver import Version

SPEC_ORDER = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
]


def test_the_specification_example_is_in_order() -> None:
    versions = [Version.parse(text) for text in SPEC_ORDER]
    assert all(low < high for low, high in pairwise(versions))
    assert Version.parse("1.9.0") < Version.parse("1.10.0") < Version.parse("1.11.0") < Version.parse("2.0.0")


def test_parsing_keeps_every_part_and_build_metadata_does_not_change_precedence() -> None:
    version = Version.parse("1.2.3-rc.1.x-y+build.5")
    assert version == Version(1, 2, 3, ("rc", 1, "x-y"), ("build", "5")) and str(version) == "1.2.3-rc.1.x-y+build.5"
    plain = Version.parse("1.2.3-rc.1.x-y")
    assert version.same_precedence(plain) and not version < plain and not plain < version and version != plain


@pytest.mark.parametrize(
    "text",
    [
        "1.2",
        "1.2.3.4",
        "01.2.3",
        "1.02.3",
        "1.2.03",
        "1.2.3-01",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-a..b",
        "v1.2.3",
        " 1.2.3",
        "1.2.3-é",
        "",
    ],
)
def test_malformed_versions_are_refused(text: str) -> None:
    with pytest.raises(VersionInvalid):
        Version.parse(text)


def test_a_leading_v_gets_a_hint() -> None:
    with pytest.raises(VersionInvalid, match="drop the leading 'v'"):
        Version.parse("v1.0.0")


numbers = st.integers(0, 20)
identifiers = st.one_of(
    st.integers(0, 20), st.text("abz-09", min_size=1, max_size=3).filter(lambda text: not text.isdigit())
)
versions = st.builds(Version, numbers, numbers, numbers, st.lists(identifiers, max_size=3).map(tuple))


def spec_compare(left: Version, right: Version) -> int:
    """An independent reading of semver 2.0.0 section 11, written as a classic cmp."""
    for a, b in zip((left.major, left.minor, left.patch), (right.major, right.minor, right.patch), strict=True):
        if a != b:
            return -1 if a < b else 1
    if not left.prerelease or not right.prerelease:
        return (not left.prerelease) - (not right.prerelease)
    for mine, theirs in zip(left.prerelease, right.prerelease, strict=False):
        if mine == theirs:
            continue
        if isinstance(mine, int) and isinstance(theirs, int):
            return -1 if mine < theirs else 1
        if isinstance(mine, str) and isinstance(theirs, str):
            return -1 if mine < theirs else 1
        return -1 if isinstance(mine, int) else 1  # numeric identifiers sort below alphanumeric ones
    return (len(left.prerelease) > len(right.prerelease)) - (len(left.prerelease) < len(right.prerelease))


@given(versions)
def test_a_version_survives_a_round_trip_through_its_text(version: Version) -> None:
    assert Version.parse(str(version)) == version


@given(versions, versions)
def test_precedence_agrees_with_the_specification(left: Version, right: Version) -> None:
    expected = spec_compare(left, right)
    assert (left < right, left == right, left > right) == (expected < 0, expected == 0, expected > 0)
    assert (left <= right) == (expected <= 0) and (left >= right) == (expected >= 0)


@given(st.lists(versions, min_size=2, max_size=12))
def test_sorting_gives_a_total_order(items: list[Version]) -> None:
    ordered = sorted(items)
    assert ordered == sorted(items, key=functools.cmp_to_key(spec_compare))
    assert all(low <= high for low, high in pairwise(ordered))
