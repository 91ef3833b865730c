"""Channels and dist-tags: which version an editor gets when it names no number.

Two channels: ``stable`` offers no pre-release, ``pre-release`` offers every version (the newest
wins). Dist-tags name versions npm-style. ``latest`` is the newest published, non-yanked stable
version and ``pre-release`` the newest published, non-yanked pre-release: both are derived from
the versions every time, so they move on approve, yank and unpublish by themselves and nobody
sets them. Publishers add their own tags (``next``, ``beta``, ...) pointing at a published,
non-yanked version; a tag whose version is yanked or unpublished is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum

from devforge.domain.marketplace.errors import DistTagInvalid, DistTagReserved, VersionInvalid
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.version import ExtensionVersion

TAG_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
LATEST = "latest"
PRE_RELEASE = "pre-release"
AUTOMATIC_TAGS = (LATEST, PRE_RELEASE)


class Channel(StrEnum):
    STABLE = "stable"
    PRE_RELEASE = "pre-release"

    @property
    def allows_prereleases(self) -> bool:
        return self is Channel.PRE_RELEASE


def custom_tag(name: str) -> str:
    """A tag a publisher may set or remove: 1-32 of a-z, 0-9 and '-' starting with a letter, not a
    version number, and neither of the automatic tags."""
    if name in AUTOMATIC_TAGS:
        raise DistTagReserved(
            f"'{name}' follows the newest {'stable version' if name == LATEST else 'pre-release'} by itself; "
            "it cannot be set or removed by hand.",
            field="tag",
        )
    if not TAG_NAME.fullmatch(name) or _is_version(name):
        raise DistTagInvalid(
            "Name the tag with 1-32 of a-z, 0-9 and '-', starting with a letter (not a version number).",
            field="tag",
        )
    return name


def live(versions: Iterable[ExtensionVersion]) -> list[ExtensionVersion]:
    """What a tag may point at: published (not deleted or unpublished) and not yanked."""
    return [version for version in versions if version.published and not version.yanked]


def resolve(versions: Iterable[ExtensionVersion], custom: Mapping[str, str]) -> dict[str, str]:
    """Every dist-tag of an extension: the automatic ones, then the custom ones still pointing at a
    live version. Tags name version numbers (every platform's build of that number)."""
    candidates = live(versions)
    numbers = {version.version for version in candidates}
    tags: dict[str, str] = {}
    for name, prerelease in ((LATEST, False), (PRE_RELEASE, True)):
        fitting = [version.version for version in candidates if version.prerelease is prerelease]
        if fitting:
            tags[name] = max(fitting, key=lambda number: Version.parse(number).precedence_key())
    tags.update({name: number for name, number in sorted(custom.items()) if number in numbers})
    return tags


def _is_version(name: str) -> bool:
    try:
        Version.parse(name)
    except VersionInvalid:
        return False
    return True
