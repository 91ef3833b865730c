"""Yanking and deprecating: only what is published is yanked, and both need a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from devforge.application.marketplace.download_extension import newest
from devforge.domain.marketplace.errors import ExtensionInvalid, ReviewTransitionInvalid
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.version import ExtensionVersion, ReviewState, VersionYanked

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def published(number: str, platform: str = "universal") -> ExtensionVersion:
    version = ExtensionVersion(
        id=uuid4(),
        extension_id=uuid4(),
        publisher_id=uuid4(),
        version=number,
        target_platform=platform,
        archive_key="k",
        size=1,
        sha256="0" * 64,
        uploaded_by=uuid4(),
        uploaded_at=NOW,
    )
    for state in (ReviewState.VALIDATING, ReviewState.SCANNING, ReviewState.PASSED, ReviewState.APPROVED):
        version.move(state, NOW)
    return version


def test_only_a_published_version_is_yanked_and_only_with_a_reason() -> None:
    version = published("1.0.0")
    with pytest.raises(ExtensionInvalid):
        version.yank("   ", NOW)
    version.yank("Crashes on start-up.", NOW)
    assert version.yanked and [type(event) for event in version.pull_events()] == [VersionYanked]
    unpublished = published("1.1.0")
    unpublished.state = ReviewState.PASSED
    with pytest.raises(ReviewTransitionInvalid):
        unpublished.yank("why", NOW)


def test_newest_skips_yanked_and_prereleases_and_prefers_the_platform_build() -> None:
    stable, universal, native, pre = (
        published("1.0.0"),
        published("1.1.0"),
        published("1.1.0", "linux-x64"),
        published("2.0.0-beta.1"),
    )
    yanked = published("1.2.0")
    yanked.yank("broken", NOW)
    candidates = [stable, universal, native, pre, yanked]
    assert newest(candidates, "linux-x64") is native
    assert newest(candidates, "win32-x64") is universal
    assert newest(candidates, "linux-x64", prerelease=True) is pre
    assert newest(candidates, "web", yanked=True) is yanked


def test_a_deprecation_needs_a_message_and_a_well_formed_replacement() -> None:
    extension = Extension(
        id=uuid4(), publisher_id=uuid4(), name="old", display_name="Old", description="", created_at=NOW, updated_at=NOW
    )
    with pytest.raises(ExtensionInvalid) as bad:
        extension.deprecate("Use the new one.", "nope", NOW)
    assert bad.value.field == "replacement" and not extension.deprecated
    extension.deprecate("Use the new one.", "acme.new", NOW)
    assert extension.deprecated and extension.replacement == "acme.new"
